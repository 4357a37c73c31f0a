package relay

import (
	"sync/atomic"
	"testing"
)

// counting fills each buffer with the next number up to n, and tells how
// many buffers are out of the free channel at once (filled or being read).
type counting struct {
	n, next int
	out     atomic.Int32
	maxOut  atomic.Int32
	last    int // written by fill, read by the reader after the end
}

func (c *counting) fill(b *int) (*int, bool, bool) {
	if o := c.out.Add(1); o > c.maxOut.Load() {
		c.maxOut.Store(o)
	}
	c.next++
	*b = c.next
	c.last = c.next
	return b, true, c.next < c.n
}

func buffers(n int) []*int {
	bufs := make([]*int, n)
	for i := range bufs {
		bufs[i] = new(int)
	}
	return bufs
}

// TestRelayHandsEveryBufferInOrder: the reader gets 1..n in order, then the
// end, never more buffers out at once than there are, and sees what fill
// wrote last.
func TestRelayHandsEveryBufferInOrder(t *testing.T) {
	const n = 1000
	c := &counting{n: n}
	r := Start(buffers(3), c.fill)
	defer r.Close()
	for want := 1; want <= n; want++ {
		b, ok := r.Next()
		if !ok {
			t.Fatalf("the end after %d buffers, want %d", want-1, n)
		}
		if *b != want {
			t.Fatalf("got %d, want %d", *b, want)
		}
		c.out.Add(-1)
		r.Free(b)
	}
	if b, ok := r.Next(); ok {
		t.Fatalf("a buffer (%d) after the end", *b)
	}
	if c.last != n {
		t.Fatalf("fill's last write reads %d, want %d", c.last, n)
	}
	if m := c.maxOut.Load(); m > 3 {
		t.Fatalf("%d buffers out at once, with 3", m)
	}
}

// TestRelayRefillsWhatItDoesNotSend: a buffer fill keeps is filled again,
// not lost: with a single buffer, every other call keeps it, and the reader
// still gets every number sent.
func TestRelayRefillsWhatItDoesNotSend(t *testing.T) {
	calls := 0
	r := Start(buffers(1), func(b *int) (*int, bool, bool) {
		calls++
		*b = calls
		return b, calls%2 == 0, calls < 20
	})
	defer r.Close()
	var got []int
	for {
		b, ok := r.Next()
		if !ok {
			break
		}
		got = append(got, *b)
		r.Free(b)
	}
	if len(got) != 10 || got[0] != 2 || got[9] != 20 {
		t.Fatalf("got %v, want the even numbers 2 to 20", got)
	}
}

// TestRelayCloseStopsFilling: a reader that stops early closes the relay
// while fill waits for a free buffer; fill is never called after Close,
// and Close may be called again.
func TestRelayCloseStopsFilling(t *testing.T) {
	var calls atomic.Int32
	r := Start(buffers(2), func(b *int) (*int, bool, bool) {
		calls.Add(1)
		return b, true, true // endless
	})
	b, ok := r.Next()
	if !ok {
		t.Fatal("no first buffer")
	}
	r.Free(b)
	r.Close()
	after := calls.Load()
	r.Close()
	if calls.Load() != after {
		t.Fatal("fill ran after Close")
	}
	// What was filled before Close may still be read; then the end.
	for range 3 {
		if _, ok := r.Next(); !ok {
			return
		}
	}
	t.Fatal("no end after Close")
}
