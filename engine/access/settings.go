package access

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Settings are where the billing API listens, as the accountant set them
// in the window. The API is off until switched on, and listens on the
// loopback address unless the accountant chooses another one: then other
// computers can reach it, and the window says so.
type Settings struct {
	Enabled bool   `json:"enabled"`
	Address string `json:"address"` // an IP address, e.g. 127.0.0.1
	Port    int    `json:"port"`
}

// Default address and port.
const (
	DefaultAddress = "127.0.0.1"
	DefaultPort    = 8787
)

// DefaultSettings: off, on 127.0.0.1:8787 once switched on.
func DefaultSettings() Settings {
	return Settings{Address: DefaultAddress, Port: DefaultPort}
}

// Normalize fills an empty address and port with the defaults and reads
// "localhost" as 127.0.0.1, the address it is meant as.
func (s Settings) Normalize() Settings {
	s.Address = strings.TrimSpace(s.Address)
	if s.Address == "" || strings.EqualFold(s.Address, "localhost") {
		s.Address = DefaultAddress
	}
	if s.Port == 0 {
		s.Port = DefaultPort
	}
	return s
}

// Validate names a bad address or port.
func (s Settings) Validate() error {
	if _, err := netip.ParseAddr(s.Address); err != nil {
		return fmt.Errorf("address %q is not an IP address: use 127.0.0.1 (this computer only), or this computer's address on your network", s.Address)
	}
	if s.Port < 1 || s.Port > 65535 {
		return fmt.Errorf("port %d is not between 1 and 65535", s.Port)
	}
	return nil
}

// Addr is the host:port to listen on, e.g. 127.0.0.1:8787 or [::1]:8787.
func (s Settings) Addr() string {
	a, err := netip.ParseAddr(s.Address)
	if err != nil {
		return s.Address + ":" + strconv.Itoa(s.Port)
	}
	return netip.AddrPortFrom(a, uint16(s.Port)).String()
}

// Loopback reports whether addr (host:port, or a host) is reachable from
// this computer only. An unspecified address (0.0.0.0, ::) listens on
// every network, and a name is not checked: both count as reachable from
// elsewhere, so the window warns rather than reassures.
func Loopback(addr string) bool {
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		return ap.Addr().IsLoopback()
	}
	if a, err := netip.ParseAddr(strings.Trim(addr, "[]")); err == nil {
		return a.IsLoopback()
	}
	host := addr
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		host = addr[:i]
	}
	return strings.EqualFold(strings.Trim(host, "[]"), "localhost")
}
