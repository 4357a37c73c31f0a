package document

import (
	"reflect"
	"strings"
	"testing"

	"rebill/engine/customer"
)

// What a customer receives for each e-invoice choice: the PDF alone, the
// PDF and the XML, or the Factur-X PDF alone (it is the PDF).
func TestAttachments(t *testing.T) {
	pdf := Attachment{Format: "pdf", Name: "NCP-2026-00001.pdf", ContentType: "application/pdf"}
	cases := []struct {
		want customer.EInvoiceFormat
		got  []Attachment
	}{
		{"", []Attachment{pdf}},
		{"ubl", []Attachment{pdf, {Format: "ubl", Name: "NCP-2026-00001.xml", ContentType: "application/xml"}}},
		{"cii", []Attachment{pdf, {Format: "cii", Name: "NCP-2026-00001.xml", ContentType: "application/xml"}}},
		{"xrechnung", []Attachment{pdf, {Format: "xrechnung", Name: "NCP-2026-00001.xml", ContentType: "application/xml"}}},
		{"facturx", []Attachment{{Format: "facturx", Name: "NCP-2026-00001.pdf", ContentType: "application/pdf"}}},
	}
	for _, c := range cases {
		got, err := Attachments("NCP-2026-00001", c.want)
		if err != nil || !reflect.DeepEqual(got, c.got) {
			t.Errorf("%q: %+v %v, want %+v", c.want, got, err, c.got)
		}
	}
	if _, err := Attachments("NCP-2026-00001", "edifact"); err == nil || !strings.Contains(err.Error(), `"edifact" is not one of none, ubl, cii, xrechnung, facturx`) {
		t.Errorf("an unknown format: %v", err)
	}
}
