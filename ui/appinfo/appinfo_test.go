package appinfo

import "testing"

func TestParse(t *testing.T) {
	toml := "Website = \"x\"\n\n[Details]\nIcon = \"assets/icon.png\"\nName = \"Rebill\"\nID = \"app.rebill.desktop\"\nVersion = \"1.2.3\"\nBuild = 7\n\n[Migrations]\nfyneDo = true\n"
	want := Meta{ID: "app.rebill.desktop", Name: "Rebill", Version: "1.2.3", Build: 7}
	if got := Parse(toml); got != want {
		t.Fatalf("Parse = %+v, want %+v", got, want)
	}
}
