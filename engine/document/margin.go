package document

import (
	"io"

	"github.com/xuri/excelize/v2"

	"rebill/engine/reconcile"
)

// marginSheet is the margin workbook's one sheet.
const marginSheet = "Margin"

// MarginXLSX writes the margin report (reconcile.Margins) as a workbook:
// one row per customer, provider and service with cost, billed, margin
// and one column per cause, amounts as numbers with two decimals (the
// report's figures are already rounded to the cent), the header frozen
// and filtered. The months from..until are in the title.
func MarginXLSX(w io.Writer, from, until string, rows []reconcile.MarginRow) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", marginSheet); err != nil {
		return err
	}
	amount, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("#,##0.00;-#,##0.00")})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	title := "Margin " + from
	if until != "" && until != from {
		title += " to " + until
	}
	title += ", before tax"
	header := []any{"Customer", "Provider", "Service", "Section", "Currency", "Months", "Cost", "Billed", "Margin"}
	for _, c := range reconcile.MarginCauses {
		header = append(header, c.Label())
	}
	set := func(ref string, v any) {
		if err == nil {
			err = f.SetCellValue(marginSheet, ref, v)
		}
	}
	set("A1", title)
	if err == nil {
		err = f.SetSheetRow(marginSheet, "A3", &header)
	}
	for i, r := range rows {
		row := 4 + i
		cost, billed, margin := r.Figures()
		values := []any{r.Customer, r.Provider, r.Service, string(r.Section), r.Currency, r.Months, number(cost), number(billed), number(margin)}
		for _, c := range reconcile.MarginCauses {
			values = append(values, number(r.Part(c).Round(2)))
		}
		if err == nil {
			err = f.SetSheetRow(marginSheet, cell("A", row), &values)
		}
	}
	if err != nil {
		return err
	}
	last := 3 + len(rows)
	lastCol, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetCellStyle(marginSheet, "A1", "A1", bold); err != nil {
		return err
	}
	if err := f.SetCellStyle(marginSheet, "A3", cell(lastCol, 3), bold); err != nil {
		return err
	}
	if len(rows) > 0 {
		if err := f.SetCellStyle(marginSheet, "G4", cell(lastCol, last), amount); err != nil {
			return err
		}
		if err := f.AutoFilter(marginSheet, "A3:"+cell(lastCol, last), nil); err != nil {
			return err
		}
	}
	if err := f.SetPanes(marginSheet, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return writeWorkbook(f, w)
}
