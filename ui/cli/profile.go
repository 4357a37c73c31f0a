package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"rebill/engine/customer"
	"rebill/store"
)

func profileVerbs() []subcommand {
	return []subcommand{
		{"show", "show [--json]", runProfileShow},
		{"set", "set KEY VALUE [KEY VALUE...] [--json]   (KEY: " + joinKeys() + "; pairs such as electronic_address_scheme and electronic_address are set together)", runProfileSet},
		{"logo", "logo FILE.png|FILE.jpg [--json]   (or logo --clear)", runProfileLogo},
	}
}

func joinKeys() string { return strings.Join(customer.ProfileKeys, ", ") }

func runProfile(e *env, args []string) error {
	return dispatch(e, "profile", profileVerbs(), args)
}

// profileReport is the JSON of the profile commands: the profile without
// the logo's bytes, with the logo's pixel size.
type profileReport struct {
	customer.Profile
	LogoWidth  int `json:"logo_width"`
	LogoHeight int `json:"logo_height"`
}

// MarshalJSON keeps the profile's own JSON (logo summary included) and adds
// the pixel size; without it the embedded MarshalJSON would hide the size.
func (r profileReport) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(r.Profile)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["logo_width"], m["logo_height"] = r.LogoWidth, r.LogoHeight
	return json.Marshal(m)
}

func (e *env) printProfile(p customer.Profile, asJSON bool) error {
	r := profileReport{Profile: p}
	if len(p.Logo) > 0 {
		_, r.LogoWidth, r.LogoHeight, _ = customer.CheckLogo(p.Logo)
	}
	if asJSON {
		return e.printJSON(r)
	}
	for _, k := range customer.ProfileKeys {
		fmt.Fprintf(e.stdout, "%-27s %s\n", k+":", p.Get(k))
	}
	logo := "(none: rebill profile logo FILE.png)"
	if len(p.Logo) > 0 {
		logo = fmt.Sprintf("%s, %dx%d pixels, %d bytes", p.LogoType, r.LogoWidth, r.LogoHeight, len(p.Logo))
	}
	fmt.Fprintf(e.stdout, "%-27s %s\n", "logo:", logo)
	return nil
}

var runProfileShow = showing[customer.Profile]{
	load:  func(db *store.DB, _ string) (customer.Profile, error) { return db.Profile() },
	print: (*env).printProfile,
}.run

func runProfileSet(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || len(pos)%2 != 0 {
		return fmt.Errorf("expected KEY VALUE, or several KEY VALUE pairs, e.g. rebill profile set company_name \"Nimbus Cloud Partners\" or "+
			"rebill profile set electronic_address_scheme 9932 electronic_address GB987654321; keys: %s", joinKeys())
	}
	// The pairs change the profile together, checked once: an electronic
	// address and its scheme are valid only with each other.
	return e.updateProfile(*asJSON, func(p *customer.Profile) error {
		for i := 0; i < len(pos); i += 2 {
			if err := p.Set(pos[i], pos[i+1]); err != nil {
				return err
			}
		}
		return nil
	})
}

func runProfileLogo(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	clear := fs.Bool("clear", false, "remove the logo")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	var data []byte
	switch {
	case *clear && len(pos) == 0:
	case !*clear && len(pos) == 1:
		if data, err = os.ReadFile(pos[0]); err != nil {
			return err
		}
		if len(data) == 0 {
			return fmt.Errorf("%s is empty: choose a PNG or JPEG image", pos[0])
		}
	default:
		return fmt.Errorf("give one PNG or JPEG file, or --clear to remove the logo")
	}
	return e.updateProfile(*asJSON, func(p *customer.Profile) error { return p.SetLogo(data) })
}

// updateProfile changes the profile and saves it, validated, with its
// change-log entry, in one transaction (store.UpdateProfile).
func (e *env) updateProfile(asJSON bool, change func(*customer.Profile) error) error {
	return e.withDB(func(db *store.DB) error {
		p, err := db.UpdateProfile(change, e.now())
		if err != nil {
			return err
		}
		return e.printProfile(p, asJSON)
	})
}
