package view

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"rebill/engine/customer"
)

func TestLogoInfo(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	// A small PNG is under one KiB, rounded up to 1.
	if text, ok := LogoInfo(b.Bytes(), customer.LogoPNG); !ok || text != "PNG, 40x20 pixels, 1 KiB." {
		t.Errorf("PNG logo: %q %v", text, ok)
	}
	if text, ok := LogoInfo(nil, ""); !ok || text != "Invoices show your company name without a logo." {
		t.Errorf("no logo: %q %v", text, ok)
	}
	if _, ok := LogoInfo([]byte("not an image"), customer.LogoPNG); ok {
		t.Error("an unreadable logo is described")
	}
	if got := NumbersMoved(120); got != "The next invoice now takes number 120; the reason is in the audit log." {
		t.Errorf("moved %q", got)
	}
}
