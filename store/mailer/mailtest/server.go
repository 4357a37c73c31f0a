// Package mailtest is a minimal SMTP server for tests: it listens on
// 127.0.0.1 (no network beyond this computer), accepts every message
// without TLS or login, and keeps what it received.
package mailtest

import (
	"bufio"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
)

// Received is one message as the server got it.
type Received struct {
	From string
	To   []string
	Data []byte // the message, CRLF line ends, dot-unstuffed
}

// Server is a running test server.
type Server struct {
	Host string
	Port int
	mu   sync.Mutex
	msgs []Received
}

// Start starts a server that stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

// Messages returns what the server received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 mailtest ready")
	var cur Received
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		cmd := strings.ToUpper(line)
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			tp.PrintfLine("250 mailtest")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			cur = Received{From: strings.Trim(line[len("MAIL FROM:"):], "<> ")}
			tp.PrintfLine("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			cur.To = append(cur.To, strings.Trim(line[len("RCPT TO:"):], "<> "))
			tp.PrintfLine("250 ok")
		case cmd == "DATA":
			tp.PrintfLine("354 go ahead")
			data, err := readData(tp.R)
			if err != nil {
				return
			}
			cur.Data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			tp.PrintfLine("250 queued")
		case cmd == "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("250 ok")
		}
	}
}

// readData reads a DATA section up to its "." line, keeping CRLF line
// ends and removing dot-stuffing.
func readData(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" {
			return out, nil
		}
		out = append(out, strings.TrimPrefix(line, ".")...)
	}
}
