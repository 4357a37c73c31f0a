package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/money"
)

// settingsScreen holds Rebill's settings; its "Account information" is
// the reseller's public profile printed on every invoice, with the
// invoice number format and the defaults new customers start from. The
// invoice counter is shown, not edited: saving the form never moves it,
// and "Move forward…" moves it with a reason kept in the audit log.
type settingsScreen struct {
	state *appState

	company, email, phone, website, taxNumber *widget.Entry
	numberFormat, terms                       *widget.Entry
	address, instructions                     *widget.Entry
	currency                                  *widget.SelectEntry
	upliftWording                             *widget.Entry
	country                                   *widget.Entry
	paperSize                                 *widget.Select
	einvoice                                  map[string]*widget.Entry // by profile key, see settings_einvoice.go
	fields                                    map[string]*formField
	preview                                   *widget.Label

	// series is the stored invoice series; nextNumber shows its counter
	// and moveNumber opens the dialog that moves it forward.
	series     invoice.Numbering
	nextNumber *widget.Label
	moveNumber *widget.Button
	// moveTo, moveReason, moveField and moveConfirm belong to the open
	// Move forward dialog.
	moveTo, moveReason *widget.Entry
	moveField          *formField
	moveConfirm        *widget.Button

	// logo and logoType are the logo in the form, saved or not.
	logo       []byte
	logoType   string
	logoBox    *fyne.Container
	logoInfo   *widget.Label
	chooseLogo *widget.Button
	removeLogo *widget.Button

	save, revert *widget.Button
	status       *widget.Label
	content      fyne.CanvasObject

	// api is the Billing API section.
	api *apiPanel
	// support is the Support plans and provider discounts section.
	support *supportPanel
	// The sections of what `rebill settings`, `rates`, `producttypes`,
	// `holidays` and `price-tables` set, each in a file of its own.
	billing      *billingPanel
	rates        *ratesPanel
	productTypes *productTypesPanel
	holidays     *holidaysPanel
	priceTables  *priceTablesPanel

	saved   customer.Profile
	loading bool
	touched bool
	// notice is the last dialog shown, for tests.
	notice dialog.Dialog
}

func newSettingsScreen(st *appState) *settingsScreen {
	s := &settingsScreen{state: st, fields: map[string]*formField{}}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { s.onChanged() }
		return e
	}
	s.company = entry("as printed on invoices")
	s.address = multiLineEntry(3)
	s.address.SetPlaceHolder("one line per address line")
	s.address.OnChanged = func(string) { s.onChanged() }
	s.email = entry("e.g. billing@example.com")
	s.phone = entry("")
	s.website = entry("e.g. https://example.com")
	s.taxNumber = entry("your VAT or tax number")
	s.country = entry("e.g. GB")
	s.instructions = multiLineEntry(3)
	s.instructions.SetPlaceHolder("e.g. Please quote the invoice number with your payment.")
	s.instructions.OnChanged = func(string) { s.onChanged() }
	s.numberFormat = entry("e.g. INV-{YYYY}-{SEQ:5}")
	s.nextNumber = widget.NewLabel("")
	s.moveNumber = widget.NewButtonWithIcon("Move forward…", theme.MailForwardIcon(), s.onMoveNumber)
	s.currency = widget.NewSelectEntry(money.Currencies())
	s.currency.OnChanged = func(string) { s.onChanged() }
	s.terms = entry("days")
	s.upliftWording = entry("empty: the uplift is part of the prices")
	s.paperSize = widget.NewSelect([]string{customer.PaperA4, customer.PaperLetter}, func(string) { s.onChanged() })
	s.preview = widget.NewLabel("")
	s.preview.TextStyle = fyne.TextStyle{Bold: true}

	s.logoBox = container.NewStack()
	s.logoInfo = widget.NewLabel("")
	s.logoInfo.Wrapping = fyne.TextWrapWord
	s.chooseLogo = widget.NewButtonWithIcon("Choose logo…", theme.FileImageIcon(), s.onChooseLogo)
	s.removeLogo = widget.NewButtonWithIcon("Remove logo", theme.DeleteIcon(), s.onRemoveLogo)

	field := func(key, label string, input fyne.CanvasObject, hint string) *formField {
		f := newFormField(label, input, hint)
		s.fields[key] = f
		return f
	}
	logoControls := container.NewBorder(nil, nil, s.logoBox, nil,
		container.NewVBox(s.logoInfo, container.NewHBox(s.chooseLogo, s.removeLogo)))
	cols := &labelColumn{}
	identity := cols.form(
		field("company_name", "Company name", s.company, "Your company as invoices name it; needed before an invoice can be issued."),
		field("logo", "Logo", logoControls, fmt.Sprintf("PNG or JPEG, at most %d KiB and %dx%d pixels; a few hundred pixels wide is plenty.",
			customer.MaxLogoBytes/1024, customer.MaxLogoPixels, customer.MaxLogoPixels)),
		field("address", "Address", s.address, "As printed on invoices, one line per line."),
		field("country", "Country", s.country, "Two letters (ISO 3166), e.g. GB or FR: where you are established (every e-invoice states it, BT-40), whose public holidays count (Public holidays below)."),
		field("email", "Email", s.email, "Where customers write about invoices."),
		field("phone", "Phone", s.phone, ""),
		field("website", "Website", s.website, ""),
		field("tax_number", "Tax number", s.taxNumber, "Your VAT or tax number, printed on invoices."),
		field("payment_instructions", "Payment instructions", s.instructions, "Printed at the foot of every invoice: how to pay. The IBAN under E-invoicing follows it, unless these lines quote it."),
	)
	numbering := cols.form(
		field("invoice_number_format", "Number format", s.numberFormat,
			"{YYYY} or {YY} is the year of issue, {MM} its month, {SEQ} the sequence number and {SEQ:5} the same padded to 5 digits."),
		newFormField("Next number", container.NewHBox(s.nextNumber, s.moveNumber),
			"The sequence number the next approved invoice takes. Approving an invoice advances it; it never goes back, and Save does not change it. Move it forward only on purpose (e.g. to continue another program's series): the reason is kept in the audit log."),
		newFormField("Next invoice", s.preview, "The number of the next invoice approved today. Drafts are never numbered."),
	)
	einvoice := s.eInvoiceForm(cols, entry, field)
	defaults := cols.form(
		field("default_currency", "Currency", s.currency, "ISO 4217 code new customers are invoiced in, e.g. USD or EUR."),
		field("default_payment_terms_days", "Payment terms", s.terms, "Days until an invoice is due; 0 means due on receipt."),
	)

	documents := cols.form(
		field("uplift_wording", "Uplift wording", s.upliftWording,
			"How invoices print a customer's uplift. Empty (the default): it is part of the service lines' prices. "+
				"Words such as \"Service management\": a line of its own with its rate and base, \"Service management 5% of 232.21\"."),
		field("paper_size", "Paper", s.paperSize, "The paper the Excel workbooks are set up to print on."),
	)

	s.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.onSave)
	s.save.Importance = widget.HighImportance
	s.revert = widget.NewButtonWithIcon("Undo changes", theme.ContentUndoIcon(), s.onRevert)
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord

	s.api = newAPIPanel(st)
	s.support = newSupportPanel(st)
	s.billing, s.rates, s.productTypes = newBillingPanel(st, cols), newRatesPanel(st, cols), newProductTypesPanel(st, cols)
	s.holidays, s.priceTables = newHolidaysPanel(st, cols), newPriceTablesPanel(st, cols)
	intro := lowNote("Account information is printed on every invoice: who sends it, how to reach you and how to pay.")
	body := container.NewVBox(
		formSection("Account information"), intro, identity,
		formSection("E-invoicing"), lowNote("What structured e-invoices (Peppol, XRechnung, Factur-X) need beyond the printed invoice."), einvoice,
		formSection("Invoice numbers"), numbering,
		formSection("Defaults for new customers"), defaults,
		formSection("Documents"), documents,
		formSection("Billing rules"), s.billing.view(),
		formSection("Exchange rates"), s.rates.view(),
		formSection("Invoice sections"), s.productTypes.view(),
		formSection("Public holidays"), s.holidays.view(),
		formSection("Volume price tables"), s.priceTables.view(),
		formSection("Support plans and provider discounts"), s.support.view(),
		formSection("Billing API"), s.api.view(),
		formSection("Ledger accounts"), newLedgerPanel(st).view(),
		formSection("Appearance"), newThemePanel(st).view(),
		formSection("Sending invoices"), newSMTPPanel(st).view(),
		formSection("Database"), newCheckPanel(st).view(), newBackupPanel(st).view(),
	)
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(s.revert, s.save), s.status)
	s.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil,
		container.NewVScroll(container.NewPadded(body)))
	st.onDataChanged(s.onDataChanged)
	s.load()
	return s
}

// onDataChanged shows a profile saved elsewhere (the sample data brings
// one), unless the form holds edits not saved yet; the invoice counter,
// which approvals advance, is shown as it is in any case.
func (s *settingsScreen) onDataChanged() {
	if p, _ := s.check(); !s.dirty(p) {
		s.load()
		return
	}
	s.loadSeries()
	s.check()
}

func (s *settingsScreen) view() fyne.CanvasObject { return s.content }

// load shows the stored profile and invoice counter.
func (s *settingsScreen) load() {
	p, err := s.state.db.Profile()
	if err != nil {
		s.setStatus("Could not read the account information: "+err.Error(), widget.DangerImportance)
		return
	}
	s.loadSeries()
	s.fill(p)
}

// loadSeries shows the stored invoice counter.
func (s *settingsScreen) loadSeries() {
	n, err := s.state.db.InvoiceNumbering()
	if err != nil {
		s.nextNumber.SetText("—")
		s.setStatus("Could not read the invoice number series: "+err.Error(), widget.DangerImportance)
		return
	}
	s.series = n
	s.nextNumber.SetText(strconv.Itoa(n.Next))
}

// fill puts p into the form without counting it as a change.
func (s *settingsScreen) fill(p customer.Profile) {
	s.loading = true
	defer func() { s.loading = false }()
	s.saved, s.touched = p, false
	s.company.SetText(p.CompanyName)
	s.address.SetText(strings.Join(p.Address, "\n"))
	s.email.SetText(p.Email)
	s.phone.SetText(p.Phone)
	s.website.SetText(p.Website)
	s.taxNumber.SetText(p.TaxNumber)
	s.country.SetText(p.Country)
	s.instructions.SetText(p.PaymentInstructions)
	s.numberFormat.SetText(p.NumberFormat)
	s.currency.SetText(p.DefaultCurrency)
	s.terms.SetText(p.Get("default_payment_terms_days"))
	s.upliftWording.SetText(p.UpliftWording)
	s.fillEInvoice(p)
	paper := p.PaperSize
	if paper == "" {
		paper = customer.PaperA4
	}
	s.paperSize.SetSelected(paper)
	s.logo, s.logoType = p.Logo, p.LogoType
	s.showLogo()
	s.setStatus("", widget.MediumImportance)
	s.check()
}

func (s *settingsScreen) onChanged() {
	if s.loading {
		return
	}
	s.touched = true
	s.check()
}

// draft reads the form into a profile through Profile.Set, so that the
// window reads values exactly as `rebill profile set` does; text it
// cannot read is reported under its field.
func (s *settingsScreen) draft() (customer.Profile, map[string][]string) {
	p := s.saved
	bad := map[string][]string{}
	paper := s.paperSize.Selected
	if paper == customer.PaperA4 && s.saved.PaperSize == "" {
		paper = "" // A4 is the default: choosing it changes nothing
	}
	for key, text := range map[string]string{
		"company_name": s.company.Text, "email": s.email.Text, "phone": s.phone.Text, "website": s.website.Text,
		"tax_number": s.taxNumber.Text, "payment_instructions": s.instructions.Text,
		"invoice_number_format": s.numberFormat.Text, "default_currency": s.currency.Text,
		"default_payment_terms_days": s.terms.Text,
		"uplift_wording":             s.upliftWording.Text, "paper_size": paper,
		"country": s.country.Text,
	} {
		if err := p.Set(key, text); err != nil {
			bad[key] = append(bad[key], err.Error())
		}
	}
	for key, text := range s.eInvoiceTexts() {
		if err := p.Set(key, text); err != nil {
			bad[key] = append(bad[key], err.Error())
		}
	}
	p.Address = splitLines(s.address.Text)
	p.Logo, p.LogoType = s.logo, s.logoType
	return p, bad
}

// check validates the profile through the engine, shows each problem
// under its field, previews the next invoice number (the form's format,
// the stored counter) and enables Save.
func (s *settingsScreen) check() (customer.Profile, bool) {
	p, bad := s.draft()
	p.Normalize()
	ps := problemsOf(p.Validate())
	for key, f := range s.fields {
		msgs := bad[key]
		if msgs == nil {
			msgs = ps.Of(key)
		}
		f.setProblems(msgs)
	}
	s.preview.SetText("—")
	if len(ps.Of("invoice_number_format")) == 0 {
		n := invoice.InvoiceNumbering(p.NumberFormat, s.series.Next)
		if next, _, err := n.Peek(1, invoice.DateOf(s.state.now())); err == nil {
			s.preview.SetText(next)
		}
	}
	ok := len(bad) == 0 && len(ps) == 0
	dirty := s.dirty(p)
	enableWhen(s.save, ok && dirty)
	enableWhen(s.revert, dirty)
	switch {
	case !ok:
		s.setStatus(firstProblem(fieldsInOrder(s.fields, customer.ProfileKeys)), widget.DangerImportance)
	case dirty:
		s.setStatus("Unsaved changes.", widget.WarningImportance)
	case s.touched:
		s.setStatus("", widget.MediumImportance)
	}
	return p, ok
}

// dirty reports whether p differs from the stored profile.
func (s *settingsScreen) dirty(p customer.Profile) bool {
	saved := s.saved
	saved.Normalize()
	a, _ := json.Marshal(p)
	b, _ := json.Marshal(saved)
	return !bytes.Equal(a, b)
}

func (s *settingsScreen) setStatus(text string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(text)
}

// onSave stores the profile with its change-log entry.
func (s *settingsScreen) onSave() {
	p, ok := s.check()
	if !ok {
		return
	}
	if err := s.state.db.PutProfile(p, s.state.now()); err != nil {
		dialog.ShowError(fmt.Errorf("the account information was not saved: %w", err), s.state.win)
		return
	}
	s.load()
	s.state.dataChanged()
	s.setStatus("Saved.", widget.SuccessImportance)
}

func (s *settingsScreen) onRevert() { s.fill(s.saved) }
