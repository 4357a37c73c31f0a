package invoice

import (
	"fmt"
	"strings"
	"time"
)

// Sending is one time a document went to its customer: when, to which
// address, and how (by SMTP, or written as an .eml file for the
// accountant's mail program to send).
type Sending struct {
	At  time.Time `json:"at"`
	To  string    `json:"to"`
	Via string    `json:"via"` // SentBySMTP or SentAsFile
	// Attachments are the files attached, by name.
	Attachments []string `json:"attachments,omitempty"`
}

// How a document was sent.
const (
	SentBySMTP = "smtp"
	SentAsFile = "eml"
)

// RecordSending returns the document with the sending recorded. Only an
// issued document (Open or Closed) is sent: a draft is never visible to
// the customer, and a void one is cancelled.
func (inv Invoice) RecordSending(s Sending) (Invoice, error) {
	if err := inv.CanSend(); err != nil {
		return inv, err
	}
	if strings.TrimSpace(s.To) == "" {
		return inv, fmt.Errorf("%s has no address to be sent to", inv.Label())
	}
	out := inv.clone()
	s.At = s.At.UTC()
	out.Sent = append(out.Sent, s)
	return out, nil
}

// CanSend refuses to send a draft (never visible to customers) or a void
// document, saying what to do instead.
func (inv Invoice) CanSend() error {
	switch inv.Status {
	case Draft:
		return fmt.Errorf("%s is a Draft and is never sent to the customer: approve it first", inv.Label())
	case Void:
		return fmt.Errorf("%s is Void and is not sent: send the document that replaces it", inv.Label())
	}
	return nil
}

// LastSent returns the latest sending, if any.
func (inv Invoice) LastSent() (Sending, bool) {
	if len(inv.Sent) == 0 {
		return Sending{}, false
	}
	return inv.Sent[len(inv.Sent)-1], true
}
