// Package sample writes synthetic AWS Cost and Usage Report (legacy CUR CSV)
// files: one deterministic generator behind both the first-run sample data the
// app offers and the 1,000,000-row import benchmark.
//
// Real CUR files cannot ship with the app (they belong to AWS customers) and
// the public ones are too small and too tidy to exercise the billing rules. The
// generated family has what makes reseller billing hard: Reserved Instances and
// a Savings Plan whose benefit crosses accounts, one Reserved Instance bought by
// the payer, Marketplace pass-through charges (some $0), Tax, Credit, Refund,
// Fee and support lines, an account invoiced by another AWS entity with VAT, and
// amounts written the way AWS writes them (10 decimals, E notation, quoted
// descriptions).
//
// Line items follow AWS's conventions, checked against the real CUR samples in
// shared/data/real (aws-wa-labs Parquet, focus-converters CSV):
//   - cost = amount x rate, rounded half up to 10 decimals; publicOnDemandCost
//     equals the cost on on-demand Usage;
//   - DiscountedUsage (no-upfront RIs) has UnblendedCost 0.0: the RI's cost is
//     the RIFee line (hours x RI rate, billed in full to the owner), its rate
//     shows as reservation/EffectiveCost and pricing/publicOnDemandCost holds
//     the on-demand price an unrelated customer would pay;
//   - SavingsPlanCoveredUsage is billed at on-demand and cancelled by a
//     SavingsPlanNegation of the opposite cost in the same account and hour;
//     the owner pays SavingsPlanRecurringFee for every hour of the month.
//
// The same Options give the same bytes on every platform and Go version: the
// random source and all arithmetic (int64 at 1e-10) are part of this package.
package sample

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Options says what to generate. Zero values get the documented defaults, so
// Options{} is the app's sample file.
type Options struct {
	// Rows is the number of line items (the header is not counted). Zero means
	// 5000. It must be at least MinRows, the room every line type needs.
	Rows int
	// Month is the billing month; only its year and month are used (in the
	// time's own location). Zero means September 2026.
	Month time.Time
	// Seed chooses the usage; the same seed and options give the same bytes.
	// The accounts, commitments and line types do not depend on it.
	Seed int64
	// Final marks the month's bill as final: bill/InvoiceId is filled on every
	// line, as AWS does only once the month is closed. Otherwise it is empty
	// and the file is an estimate.
	Final bool
}

// Sizes of a generated file.
const (
	// DefaultRows is the Rows of zero Options: the app's sample file.
	DefaultRows = 5000
	// MinRows is the smallest Rows that holds every line type: 12 month-level
	// lines, 17 commitment and Marketplace usage lines, 16 ordinary usage lines.
	MinRows = 45
)

// DefaultMonth is the billing month used when Options.Month is zero.
var DefaultMonth = time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC)

// Summary describes what WriteCSV wrote, computed while writing, so a test or
// a benchmark can check an importer's totals without reading the file back.
type Summary struct {
	Rows           int                        // line items written, header excluded
	UnblendedTotal decimal.Decimal            // sum of lineItem/UnblendedCost
	ByAccount      map[string]decimal.Decimal // sum of lineItem/UnblendedCost per lineItem/UsageAccountId
	Bytes          int64                      // bytes written, header included
}

// Columns are the header of the generated file, in order.
var Columns = []string{
	"identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId", "bill/InvoicingEntity",
	"bill/BillingEntity", "bill/BillType", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
	"bill/BillingPeriodEndDate", "lineItem/UsageAccountId", "lineItem/LineItemType",
	"lineItem/UsageStartDate", "lineItem/UsageEndDate", "lineItem/ProductCode", "lineItem/UsageType",
	"lineItem/Operation", "lineItem/AvailabilityZone", "lineItem/ResourceId", "lineItem/UsageAmount",
	"lineItem/CurrencyCode", "lineItem/UnblendedRate", "lineItem/UnblendedCost", "lineItem/BlendedRate",
	"lineItem/BlendedCost", "lineItem/LineItemDescription", "lineItem/TaxType", "lineItem/LegalEntity",
	"product/ProductName", "product/productFamily", "product/region", "product/servicecode",
	"product/instanceType", "pricing/publicOnDemandCost", "pricing/publicOnDemandRate", "pricing/term",
	"pricing/unit", "reservation/ReservationARN", "reservation/EffectiveCost", "savingsPlan/SavingsPlanARN",
	"savingsPlan/SavingsPlanEffectiveCost", "resourceTags/user:Name", "resourceTags/user:CostCenter",
}

// WriteCSV writes a legacy CUR CSV for opt to w and returns its Summary.
// It streams: memory stays constant whatever opt.Rows is. Rows are hourly and
// spread over the month, month-level lines (RIFee, Credit, Refund, Fee,
// support, Tax) come last, as their amounts depend on the usage before them.
func WriteCSV(w io.Writer, opt Options) (Summary, error) {
	g, err := newGen(w, opt)
	if err != nil {
		return Summary{}, err
	}
	return g.run()
}

// riSpec is one Reserved Instance: no upfront, so AWS writes DiscountedUsage
// at UnblendedCost 0 and bills the recurring fee in full on the RIFee line.
type riSpec struct {
	arn                string
	owner              int
	count              int
	usageType, feeType string
	region, itype      string
	duDesc, feeDesc    string
	riRate, odRate     int64
	azs                [3]string
}

var ris = []*riSpec{
	{arn: WebShopRI, owner: acWeb, count: 3, usageType: "BoxUsage:m5.large", feeType: "HeavyUsage:m5.large",
		region: "us-east-1", itype: "m5.large",
		duDesc:  "Linux/UNIX (Amazon VPC), m5.large reserved instance applied",
		feeDesc: "USD 0.06 hourly fee per Linux/UNIX (Amazon VPC), m5.large instance",
		riRate:  scaledOf("0.06"), odRate: scaledOf("0.096")},
	{arn: AnalyticsRI, owner: acAnalytics, count: 2, usageType: "USW2-BoxUsage:c5.xlarge", feeType: "USW2-HeavyUsage:c5.xlarge",
		region: "us-west-2", itype: "c5.xlarge",
		duDesc:  "Linux/UNIX (Amazon VPC), c5.xlarge reserved instance applied",
		feeDesc: "USD 0.107 hourly fee per Linux/UNIX (Amazon VPC), c5.xlarge instance",
		riRate:  scaledOf("0.107"), odRate: scaledOf("0.17")},
	{arn: PayerRI, owner: acPayer, count: 4, usageType: "BoxUsage:t3.medium", feeType: "HeavyUsage:t3.medium",
		region: "us-east-1", itype: "t3.medium",
		duDesc:  "Linux/UNIX (Amazon VPC), t3.medium reserved instance applied",
		feeDesc: "USD 0.026 hourly fee per Linux/UNIX (Amazon VPC), t3.medium instance",
		riRate:  scaledOf("0.026"), odRate: scaledOf("0.0416")},
}

// The Savings Plan: covered usage is billed at on-demand (UnblendedCost) and
// cancelled by a SavingsPlanNegation line; the owner pays the commitment every
// hour on SavingsPlanRecurringFee lines.
var (
	spUsageType  = "EUC1-BoxUsage:m6i.large"
	spRegion     = "eu-central-1"
	spItype      = "m6i.large"
	spOD         = scaledOf("0.115")
	spRate       = scaledOf("0.0828")
	spCommitment = scaledOf("0.35") // per hour; 4 instances x 0.0828 fit in it
	spCovDesc    = "$0.115 per On Demand Linux m6i.large Instance Hour"
	spSKU        = "K5TQ7M3ZP8R2XW4D"
	spAZs        = [3]string{"eu-central-1a", "eu-central-1b", "eu-central-1c"}
	spNegDesc    [numAccounts]string // "SavingsPlanNegation used by AccountId : ... and UsageSku : ..."
)

// mpSpec is a Marketplace product billed hourly.
type mpSpec struct {
	seller, code, pname, usageType, desc string
	rate                                 int64
}

var (
	mpFirewall = &mpSpec{seller: "Example Security Ltd", code: "8kq2m5zv1x7cfp3wd0n9tr4hb",
		pname: "Example Security Firewall", usageType: "SoftwareUsage:t3.medium",
		desc: "$0.05 per hour for Example Security Firewall on t3.medium", rate: scaledOf("0.05")}
	mpLogs = &mpSpec{seller: "Example Observability Inc.", code: "3vd9x0k2bq7mzt5hw1cj8rfpl",
		pname: "Example Log Analytics", usageType: "SoftwareUsage:r6i.xlarge",
		desc: "$0.00 per hour for Example Log Analytics - Free Trial", rate: 0}
)

func init() {
	for a, id := range accountIDs {
		spNegDesc[a] = "SavingsPlanNegation used by AccountId : " + id + " and UsageSku : " + spSKU
	}
	for _, r := range ris {
		for k, z := range []string{"a", "b", "c"} {
			r.azs[k] = r.region + z
		}
		r.duDesc, r.feeDesc = csvField(r.duDesc), csvField(r.feeDesc)
	}
	for _, m := range []*mpSpec{mpFirewall, mpLogs} {
		m.seller, m.pname, m.desc = csvField(m.seller), csvField(m.pname), csvField(m.desc)
	}
}

// billCtx is one (invoice, invoicing entity, billing entity, seller)
// combination; prefix holds the CSV fields bill/InvoiceId..bill/BillingPeriodEndDate.
type billCtx struct {
	prefix []byte
	legal  string
	market bool
}

type streamKind uint8

const (
	stOrdinary   streamKind = iota
	stDiscounted            // DiscountedUsage under an RI
	stCovered               // SavingsPlanCoveredUsage plus its SavingsPlanNegation
	stSPFee                 // SavingsPlanRecurringFee, one line per block of hours
	stMarket                // Marketplace hourly software
)

// stream is a sequence of n items spread evenly over hours x inst slots, so
// a resource never appears twice in one hour and starts spread over the month.
type stream struct {
	kind streamKind
	n    int
	inst int
	j    int
	acct int
	ri   *riSpec
	mp   *mpSpec
	name string
	salt uint64
}

func (s *stream) slot(j, hoursInMonth int) (hour, inst int) {
	hi, lo := bits.Mul64(uint64(j), uint64(hoursInMonth)*uint64(s.inst))
	q, _ := bits.Div64(hi, lo, uint64(s.n))
	return int(q / uint64(s.inst)), int(q % uint64(s.inst))
}

// Numeric columns of a line, by index into line.num.
const (
	nAmount = iota
	nURate
	nUCost
	nBRate
	nBCost
	nPubCost
	nPubRate
	nRIEff
	nSPEff
	numNums
)

// line is one row being assembled; text fields are CSV-ready.
type line struct {
	typ                    string
	ctx                    *billCtx
	acct                   int
	h0, h1                 int
	code, usageType, op    string
	az                     string
	res                    []byte
	num                    [numNums]int64
	has                    uint16
	desc, taxType          string
	pname, family, region  string
	svc, itype, term, unit string
	riARN, spARN           string
	tagName                []byte
	tagCC                  string
	taxSlot                int
	notSupportBase         bool
}

func (l *line) set(i int, v int64) {
	l.num[i] = v
	l.has |= 1 << i
}

// sum is an int64 running total at 1e-10 that spills into a decimal long
// before it could overflow.
type sum struct {
	v int64
	d decimal.Decimal
}

func (s *sum) add(x int64) {
	s.v += x
	if s.v > 1<<61 || s.v < -(1<<61) {
		s.d = s.d.Add(decimal.New(s.v, -10))
		s.v = 0
	}
}

func (s *sum) total() decimal.Decimal { return s.d.Add(decimal.New(s.v, -10)) }

type gen struct {
	bw     *bufio.Writer
	rows   int
	hours  int
	seed   uint64
	rng    rng
	stamps []byte // 20 bytes per hour boundary, hours+1 of them
	row    []byte
	res    []byte
	tag    []byte
	l      line

	inc, emea, market, marketLogs billCtx

	streams []stream
	written int
	bytes   int64
	err     error

	total       sum
	byAcct      [numAccounts]sum
	awsByAcct   [numAccounts]sum // AWS (not Marketplace) charges before credits and tax
	supportBase sum
	taxBase     []sum
}

func newGen(w io.Writer, opt Options) (*gen, error) {
	rows := opt.Rows
	if rows == 0 {
		rows = DefaultRows
	}
	if rows < MinRows {
		return nil, fmt.Errorf("sample: %d rows cannot hold every line type; ask for at least %d", rows, MinRows)
	}
	month := DefaultMonth
	if !opt.Month.IsZero() {
		month = time.Date(opt.Month.Year(), opt.Month.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	next := month.AddDate(0, 1, 0)
	g := &gen{
		bw:      bufio.NewWriterSize(w, 1<<20),
		rows:    rows,
		hours:   int(next.Sub(month) / time.Hour),
		seed:    mix(uint64(opt.Seed) ^ 0x5eed5a3b1e),
		row:     make([]byte, 0, 2048),
		res:     make([]byte, 0, 128),
		tag:     make([]byte, 0, 64),
		taxBase: make([]sum, len(taxCodes)),
	}
	g.rng.s = g.seed
	for h := 0; h <= g.hours; h++ {
		g.stamps = month.Add(time.Duration(h)*time.Hour).AppendFormat(g.stamps, "2006-01-02T15:04:05Z")
	}
	start, end := string(g.stamp(0)), string(g.stamp(g.hours))
	invoice := func(salt uint64) string {
		if !opt.Final {
			return ""
		}
		return strconv.FormatUint(100_000_000+mix(salt^uint64(month.Year()*12+int(month.Month())))%900_000_000, 10)
	}
	mk := func(inv, invoicing, billing, legal string, market bool) billCtx {
		p := inv + "," + csvField(invoicing) + "," + billing + ",Anniversary," + PayerAccount + "," + start + "," + end + ","
		return billCtx{prefix: []byte(p), legal: csvField(legal), market: market}
	}
	g.inc = mk(invoice(1), entityInc, "AWS", entityInc, false)
	g.emea = mk(invoice(2), entityEMEA, "AWS", entityEMEA, false)
	mpInv := invoice(3)
	g.market = mk(mpInv, entityInc, marketName, "Example Security Ltd", true)
	g.marketLogs = mk(mpInv, entityInc, marketName, "Example Observability Inc.", true)
	g.plan()
	return g, nil
}

// monthLines is the number of month-level lines written after the hourly
// ones: 3 RIFee, Credit, Refund, Registrar Fee, Marketplace Fee, support and
// one Tax line per tax code.
var monthLines = 3 + 5 + len(taxCodes)

// plan sizes the streams: the commitment and Marketplace streams get a small
// share of the rows (at least a couple of lines each, at most what the
// commitment covers), ordinary usage gets the rest.
func (g *gen) plan() {
	u := g.rows - monthLines
	h := g.hours
	share := func(div, min, max int) int {
		return clamp(u/div, min, max)
	}
	add := func(s stream) { g.streams = append(g.streams, s) }
	add(stream{kind: stDiscounted, n: share(120, 2, 2*h), inst: 2, acct: acWeb, ri: ris[0], name: "web-frontend", salt: 11})
	add(stream{kind: stDiscounted, n: share(240, 2, h), inst: 1, acct: acAPI, ri: ris[0], name: "api-gateway", salt: 12})
	add(stream{kind: stDiscounted, n: share(120, 2, 2*h), inst: 2, acct: acAnalytics, ri: ris[1], name: "etl", salt: 13})
	add(stream{kind: stDiscounted, n: share(100, 2, 4*h), inst: 4, acct: acData, ri: ris[2], name: "ingest", salt: 14})
	add(stream{kind: stSPFee, n: share(1000, 1, h), inst: 1, acct: acAPI, salt: 15})
	add(stream{kind: stCovered, n: share(400, 1, 2*h), inst: 2, acct: acAPI, name: "api-worker", salt: 16})
	add(stream{kind: stCovered, n: share(400, 1, 2*h), inst: 2, acct: acDev, name: "dev-runner", salt: 17})
	add(stream{kind: stMarket, n: share(300, 2, 2*h), inst: 2, acct: acAnalytics, mp: mpFirewall, name: "firewall", salt: 18})
	add(stream{kind: stMarket, n: share(600, 2, h), inst: 1, acct: acWeb, mp: mpLogs, name: "app", salt: 19})
	used := 0
	for i := range g.streams {
		s := &g.streams[i]
		s.n = min(s.n, s.inst*h)
		used += s.n
		if s.kind == stCovered {
			used += s.n
		}
	}
	n := u - used
	inst := max((n+h-1)/h, min(n, 64))
	g.streams = append(g.streams, stream{kind: stOrdinary, n: n, inst: inst, salt: 20})
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

func (g *gen) stamp(h int) []byte { return g.stamps[20*h : 20*h+20] }

func (g *gen) run() (Summary, error) {
	g.write(g.header())
	for h := 0; h < g.hours && g.err == nil; h++ {
		for i := range g.streams {
			s := &g.streams[i]
			for s.j < s.n {
				hour, inst := s.slot(s.j, g.hours)
				if hour != h {
					break
				}
				g.item(s, hour, inst)
				s.j++
			}
		}
	}
	if g.err == nil {
		g.monthEnd()
	}
	if g.err == nil {
		g.err = g.bw.Flush()
	}
	if g.err != nil {
		return Summary{}, fmt.Errorf("sample: writing the CUR file: %w", g.err)
	}
	if g.written != g.rows {
		return Summary{}, errors.New("sample: internal error: planned " + strconv.Itoa(g.rows) +
			" rows, wrote " + strconv.Itoa(g.written))
	}
	s := Summary{Rows: g.written, UnblendedTotal: g.total.total(), ByAccount: map[string]decimal.Decimal{}, Bytes: g.bytes}
	for a := range accountIDs {
		s.ByAccount[accountIDs[a]] = g.byAcct[a].total()
	}
	return s, nil
}

func (g *gen) header() []byte {
	b := g.row[:0]
	for i, c := range Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c...)
	}
	return append(b, '\n')
}

func (g *gen) write(b []byte) {
	if g.err != nil {
		return
	}
	n, err := g.bw.Write(b)
	g.bytes += int64(n)
	g.err = err
	g.row = b[:0]
}

func (g *gen) ctxOf(acct int) *billCtx {
	if acct == acEU {
		return &g.emea
	}
	return &g.inc
}

// item writes the line(s) of stream item s.j in the given hour and slot.
func (g *gen) item(s *stream, hour, inst int) {
	switch s.kind {
	case stOrdinary:
		g.ordinary(hour, inst)
	case stDiscounted:
		g.discounted(s, hour, inst)
	case stCovered:
		g.covered(s, hour, inst)
	case stSPFee:
		g.spFee(s, hour)
	case stMarket:
		g.marketUsage(s, hour, inst)
	}
}

// instance fills g.res with a stream instance's id and g.tag with its Name.
func (g *gen) instance(s *stream, inst int) {
	g.res = append(g.res[:0], "i-0"...)
	g.res = appendHex16(g.res, mix(g.seed^s.salt<<32^uint64(inst)))
	g.tag = append(g.tag[:0], s.name...)
	g.tag = append(g.tag, '-')
	g.tag = strconv.AppendInt(g.tag, int64(inst+1), 10)
}

func (g *gen) ordinary(hour, r int) {
	hr := mix(g.seed ^ (uint64(r)+1)*0x9e3779b97f4a7c15)
	h2 := mix(hr)
	p := int(hr % 100)
	a := 0
	for accountCum[a] <= p {
		a++
	}
	cum := mixCum[a]
	k := int((hr >> 20) % uint64(cum[len(cum)-1]))
	i := 0
	for cum[i] <= k {
		i++
	}
	t := &templates[mixes[a][i][0]]
	if r == 0 {
		a, t = acPayer, &templates[curBucket]
	}

	l := &g.l
	*l = line{typ: "Usage", ctx: g.ctxOf(a), acct: a, h0: hour, h1: hour + 1,
		code: t.code, usageType: t.usageType, op: t.op, desc: t.desc,
		pname: t.pname, family: t.family, region: t.region, svc: t.svcCode, itype: t.itype,
		term: "OnDemand", unit: t.unit}
	if a == acEU {
		l.taxSlot = t.taxSlot
	}
	if t.az {
		l.az = t.azs[(hr>>40)%3]
	}
	if t.res != resNone {
		b := append(g.res[:0], t.prefix[a]...)
		switch t.res {
		case resHex:
			b = appendHex16(b, h2)
		case resName:
			b = appendSerial(b, r)
		case resUUID:
			b = appendUUID(b, h2, mix(h2))
		case resCF:
			for x, n := h2, 0; n < 13; n, x = n+1, x>>5 {
				b = append(b, upper[x&31])
			}
		}
		g.res = b
		l.res = b
		if t.name != "" {
			switch tg := (hr >> 48) % 100; {
			case tg < 70:
				l.tagName, l.tagCC = g.nameTag(t.name, r), costCenter[a]
				if tg < 8 {
					l.tagCC = "CC-9000" // shared platform team
				}
			case tg < 85:
				l.tagName = g.nameTag(t.name, r)
			}
		}
	}

	var amount int64
	switch t.kind {
	case kindHours:
		amount = scale
		if t.partial && g.rng.next()%100 < 4 {
			amount = int64(1+g.rng.next()%9999) * (scale / 10000)
		}
	case kindMonthly:
		q := t.lo + int64(h2%uint64(t.hi-t.lo+1))
		amount = (q*scale*2/int64(g.hours) + 1) / 2
	case kindGB:
		x := g.rng.next()
		if x%20 == 0 {
			amount = int64(1 + (x>>8)%1_000_000)
		} else {
			amount = int64(1 + (x>>8)%uint64(t.hi))
		}
	case kindCount:
		amount = int64(1+g.rng.next()%uint64(t.hi)) * scale
	}
	cost := mulRate(amount, t.rate)
	l.set(nAmount, amount)
	l.set(nURate, t.rate)
	l.set(nUCost, cost)
	l.set(nBRate, t.rate)
	l.set(nBCost, cost)
	l.set(nPubCost, cost)
	l.set(nPubRate, t.rate)
	g.emit(l)
}

func (g *gen) nameTag(stem string, r int) []byte {
	g.tag = append(g.tag[:0], stem...)
	g.tag = append(g.tag, '-')
	g.tag = appendSerial(g.tag, r)
	return g.tag
}

func (g *gen) discounted(s *stream, hour, inst int) {
	ri := s.ri
	g.instance(s, inst)
	l := &g.l
	*l = line{typ: "DiscountedUsage", ctx: g.ctxOf(s.acct), acct: s.acct, h0: hour, h1: hour + 1,
		code: "AmazonEC2", usageType: ri.usageType, op: "RunInstances", az: ri.azs[inst%3], res: g.res,
		desc: ri.duDesc, pname: ec2, family: "Compute Instance", region: ri.region, svc: "AmazonEC2",
		itype: ri.itype, term: "Reserved", unit: "Hrs", riARN: ri.arn, tagName: g.tag, tagCC: costCenter[s.acct]}
	l.set(nAmount, scale)
	l.set(nURate, 0)
	l.set(nUCost, 0)
	l.set(nBRate, 0)
	l.set(nBCost, 0)
	l.set(nPubCost, ri.odRate)
	l.set(nPubRate, ri.odRate)
	l.set(nRIEff, ri.riRate)
	g.emit(l)
}

func (g *gen) covered(s *stream, hour, inst int) {
	g.instance(s, inst)
	l := &g.l
	*l = line{typ: "SavingsPlanCoveredUsage", ctx: g.ctxOf(s.acct), acct: s.acct, h0: hour, h1: hour + 1,
		code: "AmazonEC2", usageType: spUsageType, op: "RunInstances", az: spAZs[inst%3], res: g.res,
		desc: spCovDesc, pname: ec2, family: "Compute Instance", region: spRegion, svc: "AmazonEC2",
		itype: spItype, term: "OnDemand", unit: "Hrs", spARN: APISavingsPlan, tagName: g.tag, tagCC: costCenter[s.acct]}
	l.set(nAmount, scale)
	l.set(nURate, spOD)
	l.set(nUCost, spOD)
	l.set(nBRate, spOD)
	l.set(nBCost, spOD)
	l.set(nPubCost, spOD)
	l.set(nPubRate, spOD)
	l.set(nSPEff, spRate)
	g.emit(l)

	l.typ = "SavingsPlanNegation"
	l.desc = spNegDesc[s.acct]
	l.has = 0
	l.term = ""
	l.set(nAmount, scale)
	l.set(nURate, -spOD)
	l.set(nUCost, -spOD)
	l.set(nBRate, -spOD)
	l.set(nBCost, -spOD)
	l.set(nPubCost, 0)
	g.emit(l)
}

func (g *gen) spFee(s *stream, hour int) {
	end := int(uint64(s.j+1) * uint64(g.hours) / uint64(s.n))
	l := &g.l
	*l = line{typ: "SavingsPlanRecurringFee", ctx: g.ctxOf(s.acct), acct: s.acct, h0: hour, h1: end,
		code: "ComputeSavingsPlans", usageType: "EC2InstanceSP:1yrNoUpfront",
		desc: "1 year No Upfront EC2 Instance Savings Plan", pname: "Savings Plans for AWS Compute usage",
		spARN: APISavingsPlan}
	amount := int64(end-hour) * scale
	cost := mulRate(amount, spCommitment)
	l.set(nAmount, amount)
	l.set(nURate, spCommitment)
	l.set(nUCost, cost)
	l.set(nBRate, spCommitment)
	l.set(nBCost, cost)
	l.set(nPubCost, 0)
	g.emit(l)
}

func (g *gen) marketUsage(s *stream, hour, inst int) {
	m := s.mp
	g.instance(s, inst)
	ctx := &g.market
	if m == mpLogs {
		ctx = &g.marketLogs
	}
	l := &g.l
	*l = line{typ: "Usage", ctx: ctx, acct: s.acct, h0: hour, h1: hour + 1,
		code: m.code, usageType: m.usageType, op: "RunInstances", res: g.res, desc: m.desc,
		pname: m.pname, region: "us-east-1", term: "OnDemand", unit: "Hrs", tagName: g.tag, tagCC: costCenter[s.acct]}
	l.set(nAmount, scale)
	l.set(nURate, m.rate)
	l.set(nUCost, m.rate)
	l.set(nBRate, m.rate)
	l.set(nBCost, m.rate)
	l.set(nPubCost, m.rate)
	l.set(nPubRate, m.rate)
	g.emit(l)
}

// monthEnd writes the month-level lines, whose amounts follow from the usage
// written before them.
func (g *gen) monthEnd() {
	l := &g.l
	month := func(typ string, acct int, code, pname, desc string) {
		*l = line{typ: typ, ctx: g.ctxOf(acct), acct: acct, h0: 0, h1: g.hours, code: code, pname: pname, desc: desc}
	}
	for _, ri := range ris {
		month("RIFee", ri.owner, "AmazonEC2", ec2, ri.feeDesc)
		l.usageType, l.op, l.region, l.riARN = ri.feeType, "RunInstances", ri.region, ri.arn
		amount := int64(ri.count*g.hours) * scale
		cost := mulRate(amount, ri.riRate)
		l.set(nAmount, amount)
		l.set(nURate, ri.riRate)
		l.set(nUCost, cost)
		l.set(nBRate, ri.riRate)
		l.set(nBCost, cost)
		l.set(nPubCost, 0)
		g.emit(l)
	}

	// Provider credits stay within what the account was charged.
	credit := capped(g.awsByAcct[acDev].total(), "100")
	month("Credit", acDev, "AmazonEC2", ec2, "AWS Credit")
	g.money(l, credit.Neg(), false)
	refund := capped(g.awsByAcct[acAnalytics].total(), "4.56")
	month("Refund", acAnalytics, "AmazonS3", s3, csvField("Refund for Amazon S3 charges, service level agreement credit"))
	g.money(l, refund.Neg(), false)

	month("Fee", acAPI, "AmazonRegistrar", "Amazon Registrar", "Registration of example-api.com")
	l.usageType = "Global-Registrar-Registration"
	g.money(l, decimal.RequireFromString("15"), true)

	*l = line{typ: "Fee", ctx: &g.market, acct: acAnalytics, h0: 0, h1: g.hours, code: mpFirewall.code,
		pname: mpFirewall.pname, desc: csvField("Example Security Firewall, Enterprise tier - monthly subscription")}
	g.money(l, decimal.RequireFromString("250"), true)

	month("Fee", acPayer, "AWSSupportBusiness", "AWS Support (Business)", "AWS Support (Business)")
	l.usageType = "Dollar"
	l.notSupportBase = true
	g.money(l, businessSupport(g.supportBase.total()), true)

	for i, tc := range taxCodes {
		month("Tax", acEU, tc.code, csvField(tc.pname), "Tax for product code "+tc.code)
		l.taxType = "VAT"
		tax := decimal.Zero
		if b := g.taxBase[i].total(); b.IsPositive() {
			tax = b.Mul(decimal.New(vatPercent, -2)).Round(2)
		}
		g.money(l, tax, false)
	}
}

// capped returns min(limit, charges) truncated to the cent, and 0 when the
// account had no charge.
func capped(charges decimal.Decimal, limit string) decimal.Decimal {
	c := decimal.Min(charges, decimal.RequireFromString(limit)).Truncate(2)
	if c.IsNegative() {
		return decimal.Zero
	}
	return c
}

// businessSupport is AWS Business support on the family's AWS charges: the
// greater of $100 or 10% of the first $10K, 7% of $10K-$80K, 5% of
// $80K-$250K and 3% above, rounded to the cent.
func businessSupport(charges decimal.Decimal) decimal.Decimal {
	fee := decimal.Zero
	prev := decimal.Zero
	for _, tier := range []struct{ upTo, pct int64 }{{10_000, 10}, {80_000, 7}, {250_000, 5}, {-1, 3}} {
		if !charges.GreaterThan(prev) {
			break
		}
		top := charges
		if tier.upTo > 0 {
			top = decimal.Min(charges, decimal.NewFromInt(tier.upTo))
		}
		fee = fee.Add(top.Sub(prev).Mul(decimal.New(tier.pct, -2)))
		if tier.upTo > 0 {
			prev = decimal.NewFromInt(tier.upTo)
		}
	}
	return decimal.Max(fee, decimal.NewFromInt(100)).Round(2)
}

// money completes a month-level line of the given cost (at most 10 decimals):
// a priced fee (amount 1, rate = cost) or a bare amount (Tax, Credit, Refund,
// whose UsageAmount AWS writes as 1.0 or 0.0 with no rate).
func (g *gen) money(l *line, cost decimal.Decimal, priced bool) {
	v := cost.Shift(10).IntPart()
	if priced {
		l.set(nAmount, scale)
		l.set(nURate, v)
		l.set(nBRate, v)
	} else if l.typ == "Tax" {
		l.set(nAmount, scale)
	} else {
		l.set(nAmount, 0)
	}
	l.set(nUCost, v)
	l.set(nBCost, v)
	l.set(nPubCost, 0)
	g.emit(l)
}

func field(b []byte, s string) []byte { return append(append(b, s...), ',') }

func (g *gen) num(b []byte, l *line, i int) []byte {
	if l.has&(1<<i) != 0 {
		b = appendNum(b, l.num[i])
	}
	return append(b, ',')
}

// emit appends one CSV row for l, writes it and keeps the running totals.
func (g *gen) emit(l *line) {
	b := g.row[:0]
	b = appendLineID(b, &g.rng)
	b = append(b, ',')
	b = append(b, g.stamp(l.h0)...)
	b = append(b, '/')
	b = append(b, g.stamp(l.h1)...)
	b = append(b, ',')
	b = append(b, l.ctx.prefix...)
	b = field(b, accountIDs[l.acct])
	b = field(b, l.typ)
	b = append(append(b, g.stamp(l.h0)...), ',')
	b = append(append(b, g.stamp(l.h1)...), ',')
	b = field(b, l.code)
	b = field(b, l.usageType)
	b = field(b, l.op)
	b = field(b, l.az)
	b = append(append(b, l.res...), ',')
	b = g.num(b, l, nAmount)
	b = field(b, "USD")
	b = g.num(b, l, nURate)
	b = g.num(b, l, nUCost)
	b = g.num(b, l, nBRate)
	b = g.num(b, l, nBCost)
	b = field(b, l.desc)
	b = field(b, l.taxType)
	b = field(b, l.ctx.legal)
	b = field(b, l.pname)
	b = field(b, l.family)
	b = field(b, l.region)
	b = field(b, l.svc)
	b = field(b, l.itype)
	b = g.num(b, l, nPubCost)
	b = g.num(b, l, nPubRate)
	b = field(b, l.term)
	b = field(b, l.unit)
	b = field(b, l.riARN)
	b = g.num(b, l, nRIEff)
	b = field(b, l.spARN)
	b = g.num(b, l, nSPEff)
	b = append(append(b, l.tagName...), ',')
	b = append(append(b, l.tagCC...), '\n')
	g.write(b)
	g.written++

	c := l.num[nUCost]
	g.total.add(c)
	g.byAcct[l.acct].add(c)
	if !l.ctx.market && l.typ != "Tax" && l.typ != "Credit" && l.typ != "Refund" {
		g.awsByAcct[l.acct].add(c)
		if !l.notSupportBase {
			g.supportBase.add(c)
		}
		if l.taxSlot > 0 {
			g.taxBase[l.taxSlot-1].add(c)
		}
	}
}
