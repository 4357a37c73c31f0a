package customer

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

// FuzzCustomersCSV: any customers file that imports exports to a file that
// imports to the same customers, and exporting those gives the same bytes
// again: what the accountant exports can always be edited and brought
// back.
func FuzzCustomersCSV(f *testing.F) {
	f.Add([]byte(customersCSV))
	f.Add([]byte("\uFEFFid , name\r\nA,Alpha\r\n,\r\n\r\nB,Beta\r\n"))
	f.Add([]byte("name,id,currency,notes\nNew Co,NEW,,\"two\nlines\"\n"))
	d := Defaults{Currency: "USD", TermsDays: 30}
	f.Fuzz(func(t *testing.T, data []byte) {
		first, err := ReadCustomersCSV(bytes.NewReader(data), d, nil)
		if err != nil {
			return
		}
		var exported bytes.Buffer
		if err := WriteCustomersCSV(&exported, first); err != nil {
			t.Fatalf("export: %v", err)
		}
		again, err := ReadCustomersCSV(bytes.NewReader(exported.Bytes()), d, nil)
		if err != nil {
			t.Fatalf("the export of an imported file is refused: %v\nexport:\n%s", err, exported.String())
		}
		if !sameValues(reflect.ValueOf(first), reflect.ValueOf(again)) {
			t.Fatalf("import -> export -> import changed the customers:\n%+v\n%+v\nexport:\n%s", first, again, exported.String())
		}
		var second bytes.Buffer
		if err := WriteCustomersCSV(&second, again); err != nil {
			t.Fatal(err)
		}
		if second.String() != exported.String() {
			t.Fatalf("export -> import -> export changed the bytes:\n%q\n%q", exported.String(), second.String())
		}
	})
}

// FuzzMappingsCSV is FuzzCustomersCSV for the account mappings file.
func FuzzMappingsCSV(f *testing.F) {
	f.Add([]byte(mappingsCSV))
	f.Add([]byte("customer,account,from\r\nACME,011254002932,2018-01\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		first, err := ReadMappingsCSV(bytes.NewReader(data), nil)
		if err != nil {
			return
		}
		var exported bytes.Buffer
		if err := WriteMappingsCSV(&exported, first); err != nil {
			t.Fatalf("export: %v", err)
		}
		again, err := ReadMappingsCSV(bytes.NewReader(exported.Bytes()), nil)
		if err != nil {
			t.Fatalf("the export of an imported file is refused: %v\nexport:\n%s", err, exported.String())
		}
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("import -> export -> import changed the mappings:\n%+v\n%+v", first, again)
		}
		var second bytes.Buffer
		if err := WriteMappingsCSV(&second, again); err != nil {
			t.Fatal(err)
		}
		if second.String() != exported.String() {
			t.Fatalf("export -> import -> export changed the bytes:\n%q\n%q", exported.String(), second.String())
		}
	})
}

var decimalType = reflect.TypeOf(decimal.Decimal{})

// sameValues is reflect.DeepEqual with decimals compared by value: 2.50
// and 2.5 are the same percentage.
func sameValues(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == decimalType {
		return a.Interface().(decimal.Decimal).Equal(b.Interface().(decimal.Decimal))
	}
	switch a.Kind() {
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValues(a.Elem(), b.Elem())
	default:
		return reflect.DeepEqual(a.Interface(), b.Interface())
	}
}

func TestSameValues(t *testing.T) {
	a := Customer{ID: "A", Adjustment: decimal.RequireFromString("2.50"), TaxRates: []TaxRate{{Name: "VAT", Percent: decimal.RequireFromString("20")}}}
	b := a
	b.Adjustment = decimal.RequireFromString("2.5")
	b.TaxRates = []TaxRate{{Name: "VAT", Percent: decimal.RequireFromString("20.0")}}
	if !sameValues(reflect.ValueOf(a), reflect.ValueOf(b)) {
		t.Fatal("2.50 and 2.5 differ")
	}
	b.TaxRates[0].Name = "GST"
	if sameValues(reflect.ValueOf(a), reflect.ValueOf(b)) {
		t.Fatal("a different tax rate name is the same")
	}
}
