// Package ledger turns issued invoices and credit notes into what an
// accounting program imports: a DATEV Buchungsstapel, Xero's and QuickBooks
// Online's invoice CSV, or a plain double-entry journal. It is pure: the
// documents, the account mapping and the moment of export come in, bytes go
// out to an io.Writer.
//
// Which documents a period holds, and how a document splits into bookings,
// is decided once here (Postings); each format only writes those postings
// in its own shape, so the four exports of one period always carry the same
// amounts.
package ledger
