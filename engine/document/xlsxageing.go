package document

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"rebill/engine/invoice"
)

// AgeingXLSX writes the ageing report as a workbook: a Customers sheet,
// one row per customer and currency with its open amounts by days past
// due, each currency's totals under them; and an Invoices sheet listing
// every open invoice with its due date, days past due and bucket, so the
// accountant can filter and chase. Amounts are numbers in their
// currency's format; the workbook's dates are the as-of day's, so the
// same report exports to the same bytes.
func AgeingXLSX(w io.Writer, a invoice.Ageing) error {
	f := excelize.NewFile()
	defer f.Close()
	const customers, invoices = "Customers", "Invoices"
	if err := f.SetSheetName("Sheet1", customers); err != nil {
		return err
	}
	if _, err := f.NewSheet(invoices); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	styles := map[string]int{}
	amount := func(cur string) (int, error) {
		if s, ok := styles[cur]; ok {
			return s, nil
		}
		s, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(excelFormat(cur))})
		styles[cur] = s
		return s, err
	}
	head := []any{"Customer", "Name", "Currency"}
	for _, b := range invoice.AgeBuckets {
		head = append(head, b.Label())
	}
	head = append(head, "Total")
	put := func(sheet string, row int, values []any, style int) error {
		if err := f.SetSheetRow(sheet, cell("A", row), &values); err != nil {
			return err
		}
		if style != 0 {
			last, _ := excelize.CoordinatesToCellName(len(values), row)
			return f.SetCellStyle(sheet, cell("A", row), last, style)
		}
		return nil
	}
	amounts := func(sheet string, row, from, to int, cur string) error {
		s, err := amount(cur)
		if err != nil {
			return err
		}
		a, _ := excelize.CoordinatesToCellName(from, row)
		b, _ := excelize.CoordinatesToCellName(to, row)
		return f.SetCellStyle(sheet, a, b, s)
	}
	if err := put(customers, 1, []any{"Ageing of receivables as of " + a.AsOf.String()}, bold); err != nil {
		return err
	}
	if err := put(customers, 3, head, bold); err != nil {
		return err
	}
	row := 4
	for _, r := range a.Rows {
		vals := []any{r.Customer, r.Name, r.Currency}
		for _, b := range r.Buckets {
			vals = append(vals, number(b))
		}
		if err := put(customers, row, append(vals, number(r.Total)), 0); err != nil {
			return err
		}
		if err := amounts(customers, row, 4, 4+len(invoice.AgeBuckets), r.Currency); err != nil {
			return err
		}
		row++
	}
	row++
	for _, t := range a.Totals {
		vals := []any{"Total", "", t.Currency}
		for _, b := range t.Buckets {
			vals = append(vals, number(b))
		}
		if err := put(customers, row, append(vals, number(t.Total)), bold); err != nil {
			return err
		}
		if err := amounts(customers, row, 4, 4+len(invoice.AgeBuckets), t.Currency); err != nil {
			return err
		}
		row++
	}
	if err := put(invoices, 1, []any{"Customer", "Invoice", "Period", "Issued", "Due", "Days past due", "Bucket", "Currency", "Total", "Open"}, bold); err != nil {
		return err
	}
	row = 2
	for _, r := range a.Rows {
		for _, v := range r.Receivables {
			vals := []any{r.Customer, v.Number, v.Period, v.Issued.String(), v.Due.String(), v.DaysPast, v.Bucket.Label(), r.Currency, number(v.Total), number(v.Open)}
			if err := put(invoices, row, vals, 0); err != nil {
				return err
			}
			if err := amounts(invoices, row, 9, 10, r.Currency); err != nil {
				return err
			}
			row++
		}
	}
	for sheet, widths := range map[string][]float64{customers: {14, 30, 10, 14, 14, 14, 14, 14, 14}, invoices: {14, 20, 10, 12, 12, 14, 14, 10, 14, 14}} {
		for i, wd := range widths {
			c, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(sheet, c, c, wd); err != nil {
				return err
			}
		}
	}
	at := a.AsOf.Time().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Ageing of receivables " + a.AsOf.String(), Creator: "Rebill", Created: at, Modified: at}); err != nil {
		return err
	}
	return writeWorkbook(f, w)
}
