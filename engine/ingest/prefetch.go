package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"

	"rebill/engine/relay"
)

// prefetch reads a file in blocks on a goroutine of its own, hashing each
// block there, while the caller parses and maps the block before: the
// read system calls and the SHA-256 of the file leave the goroutine that
// maps rows, and the file is read once instead of once more for its hash.
// Its memory is its few blocks, whatever the file's size; the blocks are
// reused.
type prefetch struct {
	blocks *relay.Relay[[]byte] // blocks read and hashed, in file order
	cur    []byte               // the unread rest of the block being read
	block  []byte               // that block, to give back
	h      hash.Hash            // nil when the hash is not wanted
	err    error                // why the reading ended: io.EOF at the end
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
	p := &prefetch{}
	if hashed {
		p.h = sha256.New()
	}
	n := int(min(size+1, prefetchBlock)) // +1: the read that finds the end
	blocks := make([][]byte, prefetchBlocks)
	for i := range blocks {
		blocks[i] = make([]byte, n)
	}
	p.blocks = relay.Start(blocks, func(b []byte) ([]byte, bool, bool) {
		n, err := io.ReadFull(r, b[:cap(b)])
		if n > 0 && p.h != nil {
			p.h.Write(b[:n])
		}
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		p.err = err // read by Read once the blocks have ended
		return b[:n], n > 0, err == nil
	})
	return p
}

// Read gives the file's bytes in order.
func (p *prefetch) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.block != nil {
			p.blocks.Free(p.block[:cap(p.block)])
			p.block = nil
		}
		next, ok := p.blocks.Next()
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
	return hex.EncodeToString(p.h.Sum(nil)), nil
}

// Close stops the reading goroutine and waits for it, so that the file
// may be closed after.
func (p *prefetch) Close() { p.blocks.Close() }
