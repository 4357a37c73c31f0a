package view

import (
	"fmt"

	"rebill/engine/customer"
)

// The Settings screen's words: the logo as invoices will show it, and
// what moving the invoice numbers forward does.

// LogoInfo describes the logo in the form: its kind, size in pixels and
// in KiB, or that invoices show the company name without one. ok is
// false for a logo the engine cannot read (customer.CheckLogo).
func LogoInfo(logo []byte, logoType string) (text string, ok bool) {
	if len(logo) == 0 {
		return "Invoices show your company name without a logo.", true
	}
	_, w, h, err := customer.CheckLogo(logo)
	if err != nil {
		return "", false
	}
	kind := "PNG"
	if logoType == customer.LogoJPEG {
		kind = "JPEG"
	}
	return fmt.Sprintf("%s, %dx%d pixels, %d KiB.", kind, w, h, (len(logo)+1023)/1024), true
}

// MoveNumbersIntro says what moving the invoice numbers forward from
// next does.
func MoveNumbersIntro(next int) string {
	return fmt.Sprintf("The next invoice takes number %d. Moving the series forward leaves the numbers in between unused, "+
		"a gap your auditor will ask about: the reason you give is kept in the audit log. The series never moves back.", next)
}

// NumbersMoved confirms the invoice numbers moved.
func NumbersMoved(next int) string {
	return fmt.Sprintf("The next invoice now takes number %d; the reason is in the audit log.", next)
}
