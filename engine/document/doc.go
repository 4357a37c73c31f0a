// Package document renders one invoice (or credit note) view as the files
// the customer and the accountant receive: PDF, Excel and CSV. Every
// renderer reads the same invoice.View and prints its figures as stored,
// never recomputing a total, so the three always agree to the cent with
// each other and with the invoice in the database.
//
// Rendering is deterministic (no creation date, no random ids): the same
// view gives the same bytes, which is what makes golden tests possible and
// lets an auditor re-render an old invoice and compare.
//
//	v := inv.View()                                    // or inv.Convert("JPY", rate, "ECB reference rate", day)
//	err := document.PDF(w, v)
//	err = document.XLSX(w, v, func(yield func(document.DetailItem) error) error {
//		return db.ScanCustomerItems(inv.CustomerID, inv.Period, func(it *lineitem.Item) error {
//			c, err := charger.Charge(it) // billing.Charger: the item's charge on the invoice
//			if err != nil {
//				return err
//			}
//			return yield(document.DetailItem{Item: it, Charge: &c})
//		})
//	})
//
// Files by concern: format.go (amounts, dates, currency signs),
// summary.go (the totals block every document prints), pdf*.go (the PDF:
// page furniture, header blocks, table, totals), xlsx*.go (the workbook,
// its Summary and Detail sheets), csv.go, and detail.go (the source line
// item columns shared by the Excel Detail sheet and the detail CSV).
package document
