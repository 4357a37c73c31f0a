package einvoice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// FacturXMeta is what the Factur-X PDF says about itself: its document
// information (which PDF/A requires to match the XMP metadata) and the
// embedded file's date.
type FacturXMeta struct {
	Title, Author, Creator string
	Day                    string // YYYY-MM-DD, the issue date
}

// FacturXName is the file name Factur-X and ZUGFeRD 2.x give the CII.
const FacturXName = "factur-x.xml"

// FacturX writes pdf (a PDF as engine/document draws it, with a classic
// cross-reference table) as a Factur-X / ZUGFeRD 2.x invoice, EN 16931
// profile: a PDF/A-3 with cii embedded as factur-x.xml.
//
// It keeps the drawn PDF byte for byte except for one line: it adds the
// binary comment PDF/A wants after the header (shifting the table's
// offsets), then appends an incremental update holding the embedded file
// (AFRelationship Data), the XMP metadata with the pdfaid and fx
// schemas and the fx extension schema, the sRGB output intent, the
// document information and a new catalog that points at them. Any PDF
// reader opens it as the same invoice; pdfdetach lists factur-x.xml.
func FacturX(w io.Writer, pdf, cii []byte, m FacturXMeta) error {
	pdf, err := withBinaryComment(pdf)
	if err != nil {
		return err
	}
	tr, err := readTrailer(pdf)
	if err != nil {
		return err
	}
	catalog, err := objectDict(pdf, tr.root)
	if err != nil {
		return err
	}
	if strings.Contains(catalog, "/Names") || strings.Contains(catalog, "/Metadata") || strings.Contains(catalog, "/AF") {
		return errors.New("the drawn PDF already has names, metadata or associated files: Factur-X cannot add its own")
	}
	var out bytes.Buffer
	out.Write(pdf)
	if pdf[len(pdf)-1] != '\n' {
		out.WriteByte('\n')
	}
	n := tr.size
	next := func() int { n++; return n - 1 }
	offsets := map[int]int{}
	obj := func(num int, body string, stream []byte) {
		offsets[num] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\n", num, body)
		if stream != nil {
			out.WriteString("stream\n")
			out.Write(stream)
			out.WriteString("\nendstream\n")
		}
		out.WriteString("endobj\n")
	}
	date := "D:" + strings.ReplaceAll(m.Day, "-", "") + "000000Z"
	ef, fs, meta, icc, oi, info := next(), next(), next(), next(), next(), next()
	obj(ef, fmt.Sprintf("<< /Type /EmbeddedFile /Subtype /text#2Fxml /Params << /Size %d /ModDate (%s) >> /Length %d >>", len(cii), date, len(cii)), cii)
	obj(fs, fmt.Sprintf("<< /Type /Filespec /F (%s) /UF (%s) /Desc (Factur-X invoice) /AFRelationship /Data /EF << /F %d 0 R /UF %d 0 R >> >>", FacturXName, FacturXName, ef, ef), nil)
	x := xmp(m)
	obj(meta, fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>", len(x)), x)
	profile := srgbProfile()
	obj(icc, fmt.Sprintf("<< /N 3 /Alternate /DeviceRGB /Length %d >>", len(profile)), profile)
	obj(oi, fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>", icc), nil)
	obj(info, fmt.Sprintf("<< /Title %s /Author %s /Creator %s /CreationDate (%s) /ModDate (%s) >>", pdfText(m.Title), pdfText(m.Author), pdfText(m.Creator), date, date), nil)
	obj(tr.root, fmt.Sprintf("<< %s /Metadata %d 0 R /OutputIntents [%d 0 R] /AF [%d 0 R] /Names << /EmbeddedFiles << /Names [(%s) %d 0 R] >> >> >>",
		strings.TrimSpace(catalog), meta, oi, fs, FacturXName, fs), nil)

	xref := out.Len()
	out.WriteString("xref\n")
	nums := []int{tr.root}
	for k := tr.size; k < n; k++ {
		nums = append(nums, k)
	}
	for _, k := range nums {
		fmt.Fprintf(&out, "%d 1\n%010d 00000 n \n", k, offsets[k])
	}
	id := sha256.Sum256(append(append([]byte{}, pdf...), cii...))
	h := hex.EncodeToString(id[:16])
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n", n, tr.root, info, tr.xref, h, h, xref)
	_, err = w.Write(out.Bytes())
	return err
}

// trailer is what the update needs of the drawn PDF's trailer.
type trailer struct{ size, root, xref int }

var (
	startxrefRe = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	sizeRe      = regexp.MustCompile(`/Size\s+(\d+)`)
	rootRe      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
)

func readTrailer(pdf []byte) (trailer, error) {
	m := startxrefRe.FindSubmatch(pdf)
	if m == nil {
		return trailer{}, errors.New("the drawn PDF has no startxref: it cannot be made a Factur-X")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(pdf) || !bytes.HasPrefix(pdf[xref:], []byte("xref")) {
		return trailer{}, errors.New("the drawn PDF has no classic cross-reference table where startxref points")
	}
	t := pdf[xref:]
	i := bytes.Index(t, []byte("trailer"))
	if i < 0 {
		return trailer{}, errors.New("the drawn PDF has no trailer")
	}
	s, r := sizeRe.FindSubmatch(t[i:]), rootRe.FindSubmatch(t[i:])
	if s == nil || r == nil {
		return trailer{}, errors.New("the drawn PDF's trailer has no /Size or /Root")
	}
	size, _ := strconv.Atoi(string(s[1]))
	root, _ := strconv.Atoi(string(r[1]))
	return trailer{size: size, root: root, xref: xref}, nil
}

// objectDict is the inside of an object's dictionary (without << >>).
func objectDict(pdf []byte, num int) (string, error) {
	re := regexp.MustCompile(`(?s)(?:^|\n)` + strconv.Itoa(num) + ` 0 obj\s*<<(.*?)>>\s*endobj`)
	m := re.FindSubmatch(pdf)
	if m == nil {
		return "", fmt.Errorf("the drawn PDF has no catalog object %d", num)
	}
	return string(m[1]), nil
}

// withBinaryComment inserts, after the %PDF-x.y header, the comment of
// four bytes above 127 that PDF/A asks for (it tells transfer programs
// the file is binary), moving every offset of the cross-reference table
// and startxref by its length.
func withBinaryComment(pdf []byte) ([]byte, error) {
	nl := bytes.IndexByte(pdf, '\n')
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || nl < 0 {
		return nil, errors.New("the drawn document is not a PDF")
	}
	if len(pdf) > nl+5 && pdf[nl+1] == '%' && pdf[nl+2] > 127 {
		return pdf, nil
	}
	comment := []byte("%\xe2\xe3\xcf\xd3\n")
	shift := len(comment)
	m := startxrefRe.FindSubmatchIndex(pdf)
	if m == nil {
		return nil, errors.New("the drawn PDF has no startxref: it cannot be made a Factur-X")
	}
	xref, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
	end := bytes.Index(pdf[xref:], []byte("trailer"))
	if xref >= len(pdf) || end < 0 || !bytes.HasPrefix(pdf[xref:], []byte("xref")) {
		return nil, errors.New("the drawn PDF has no classic cross-reference table where startxref points")
	}
	var table bytes.Buffer
	for _, l := range strings.Split(strings.TrimRight(string(pdf[xref:xref+end]), "\r\n"), "\n") {
		f := strings.Fields(l)
		if len(f) == 3 && f[2] == "n" {
			off, err := strconv.Atoi(f[0])
			if err != nil {
				return nil, fmt.Errorf("the drawn PDF's cross-reference table is damaged: %q", l)
			}
			fmt.Fprintf(&table, "%010d %s n \n", off+shift, f[1])
			continue
		}
		if len(f) == 3 && f[2] == "f" {
			fmt.Fprintf(&table, "%s %s f \n", f[0], f[1])
			continue
		}
		table.WriteString(strings.TrimRight(l, "\r ") + "\n")
	}
	var out bytes.Buffer
	out.Write(pdf[:nl+1])
	out.Write(comment)
	out.Write(pdf[nl+1 : xref])
	out.Write(table.Bytes())
	rest := pdf[xref+end : m[2]]
	out.Write(rest)
	fmt.Fprintf(&out, "%d", xref+shift)
	out.Write(pdf[m[3]:])
	return out.Bytes(), nil
}

// pdfText is a PDF text string in UTF-16BE with its byte order mark, as
// the drawn PDF writes its document information.
func pdfText(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// xmp is the document's XMP metadata: PDF/A-3 B identification, the
// document information again (PDF/A wants both to agree), and Factur-X's
// fx properties with the extension schema that declares them.
//
// fx:DocumentType is INVOICE for credit notes too: Factur-X 1.0 has one
// type for both, the CII's type code (381) says which it is.
func xmp(m FacturXMeta) []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	typ := "INVOICE"
	iso := m.Day + "T00:00:00Z"
	prop := func(name, desc string) string {
		return `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>` + name + `</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>` + desc + `</pdfaProperty:description></rdf:li>`
	}
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(m.Title) + `</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>` + esc(m.Author) + `</rdf:li></rdf:Seq></dc:creator></rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>` + esc(m.Creator) + `</xmp:CreatorTool><xmp:CreateDate>` + iso + `</xmp:CreateDate><xmp:ModifyDate>` + iso + `</xmp:ModifyDate></rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"><fx:DocumentType>` + typ + `</fx:DocumentType><fx:DocumentFileName>` + FacturXName + `</fx:DocumentFileName><fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource"><pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI><pdfaSchema:prefix>fx</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>` +
		prop("DocumentFileName", "name of the embedded XML invoice file") +
		prop("DocumentType", "INVOICE") +
		prop("Version", "The actual version of the Factur-X XML schema") +
		prop("ConformanceLevel", "The conformance level of the embedded Factur-X data") +
		`</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
}
