package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
)

// prefetch reads a file in blocks on a goroutine of its own, hashing each
// block there, while the caller parses and maps the block before: the
// read system calls and the SHA-256 of the file leave the goroutine that
// maps rows, and the file is read once instead of once more for its hash.
// Its memory is its few blocks, whatever the file's size; the blocks are
// reused.
type prefetch struct {
	full  chan []byte   // blocks read and hashed, in file order
	free  chan []byte   // blocks the caller is done with
	stop  chan struct{} // closed by Close: the caller reads no more
	ended chan struct{} // closed when the goroutine is gone
	cur   []byte        // the unread rest of the block being read
	block []byte        // that block, to give back
	h     hash.Hash     // nil when the hash is not wanted
	err   error         // why the goroutine stopped: io.EOF at the end
}

// prefetchBlocks and prefetchBlock bound prefetch's memory: 3 blocks of
// 512 KiB keep a block being read, one being hashed and one being parsed.
const (
	prefetchBlocks = 3
	prefetchBlock  = 512 << 10
)

// newPrefetch starts reading r, of size bytes; with hashed, the SHA-256 of
// everything read is kept for Sum.
func newPrefetch(r io.Reader, size int64, hashed bool) *prefetch {
	p := &prefetch{full: make(chan []byte, prefetchBlocks), free: make(chan []byte, prefetchBlocks),
		stop: make(chan struct{}), ended: make(chan struct{})}
	if hashed {
		p.h = sha256.New()
	}
	n := int(min(size+1, prefetchBlock)) // +1: the read that finds the end
	for range prefetchBlocks {
		p.free <- make([]byte, n)
	}
	go p.run(r)
	return p
}

func (p *prefetch) run(r io.Reader) {
	defer close(p.ended)
	defer close(p.full)
	for {
		var b []byte
		select {
		case b = <-p.free:
		case <-p.stop:
			return
		}
		n, err := io.ReadFull(r, b[:cap(b)])
		if n > 0 {
			if p.h != nil {
				p.h.Write(b[:n])
			}
			select {
			case p.full <- b[:n]:
			case <-p.stop:
				return
			}
		}
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		if err != nil {
			p.err = err // read by the caller once full is closed
			return
		}
	}
}

// Read gives the file's bytes in order.
func (p *prefetch) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.block != nil {
			p.free <- p.block[:cap(p.block)]
			p.block = nil
		}
		next, ok := <-p.full
		if !ok {
			return 0, p.err
		}
		p.block, p.cur = next, next
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// Sum reads what the caller left unread and returns the file's SHA-256 in
// hex, as hashFile does.
func (p *prefetch) Sum() (string, error) {
	if _, err := io.Copy(io.Discard, p); err != nil {
		return "", err
	}
	<-p.ended
	return hex.EncodeToString(p.h.Sum(nil)), nil
}

// Close stops the reading goroutine and waits for it, so that the file
// may be closed after.
func (p *prefetch) Close() {
	close(p.stop)
	<-p.ended
}
