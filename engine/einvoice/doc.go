// Package einvoice writes an issued invoice or credit note as a
// structured e-invoice following EN 16931, the European standard's
// semantic model, in its two syntaxes and their usual specialisations:
//
//   - UBL 2.1 following Peppol BIS Billing 3.0 (FormatUBL),
//   - UN/CEFACT CII D16B, EN 16931 profile (FormatCII), which Factur-X and
//     ZUGFeRD 2.x embed in the PDF (FacturX),
//   - XRechnung 3.0, the German CIUS, in UBL (FormatXRechnung).
//
// It maps the stored invoice (the same value the PDF is drawn from, see
// engine/document) to the model with Build, which also checks EN 16931's
// arithmetic against the stored figures and refuses an invoice whose
// e-invoice would not validate, naming the missing field in words (Check,
// which approval calls for the customers held to an e-invoice: Required).
//
// The XML is written from a small element tree rather than encoding/xml
// struct tags: the Peppol and CII examples use fixed prefixes (cbc:, cac:,
// ram:) in a fixed element order, which a tree writes directly and
// deterministically. github.com/speedata/einvoice was the first choice for
// the model, but the Go module proxy does not serve it (403), so the model
// here is Rebill's own.
//
// Like the rest of engine/ it is pure: values in, bytes out, no clock.
package einvoice
