// Package relay fills reusable buffers on a goroutine of its own and hands
// them, in order, to one reader, which gives each back once done with it.
// It is the reading ahead of an import: the file's next records are read,
// hashed and scanned (delim.Ahead) while the rows before are mapped on the
// other core, in memory bounded by the buffers whatever the file's size.
package relay

import "sync"

// Relay is one filling goroutine and its reader. The buffers go round:
// free, filled, full, read, freed again.
type Relay[B any] struct {
	full chan B        // buffers filled, in order; closed when fill ends
	free chan B        // buffers the reader is done with
	stop chan struct{} // closed by Close: the reader reads no more
	done chan struct{} // closed when the goroutine is gone
	once sync.Once
}

// Start fills bufs on a new goroutine with fill, one buffer after the
// other, as the reader frees them. fill returns the buffer (resliced if
// it likes), whether to hand it to the reader, and whether to go on; a
// buffer not handed over is filled again. What fill writes before it
// returns is visible to the reader once Next has returned that buffer, or
// once Next has reported the end.
func Start[B any](bufs []B, fill func(B) (b B, send, more bool)) *Relay[B] {
	r := &Relay[B]{full: make(chan B, len(bufs)), free: make(chan B, len(bufs)),
		stop: make(chan struct{}), done: make(chan struct{})}
	for _, b := range bufs {
		r.free <- b
	}
	go r.run(fill)
	return r
}

func (r *Relay[B]) run(fill func(B) (B, bool, bool)) {
	defer close(r.done)
	defer close(r.full)
	var b B
	have := false // b is a free buffer fill did not hand over
	for {
		if !have {
			select {
			case b = <-r.free:
			case <-r.stop:
				return
			}
		}
		var send, more bool
		b, send, more = fill(b)
		have = !send
		if send {
			select {
			case r.full <- b:
			case <-r.stop:
				return
			}
		}
		if !more {
			return
		}
	}
}

// Next is the next buffer filled, in order; ok is false once fill has
// ended (or Close stopped it) and every buffer it handed over was read.
func (r *Relay[B]) Next() (b B, ok bool) {
	b, ok = <-r.full
	return b, ok
}

// Free gives back a buffer Next returned, to be filled again. It never
// waits: there is room for every buffer.
func (r *Relay[B]) Free(b B) { r.free <- b }

// Close stops the filling and waits for the goroutine to end: fill is not
// running after it, and will not run again, so what fill reads from is
// free for someone else. It may be called more than once.
func (r *Relay[B]) Close() {
	r.once.Do(func() {
		close(r.stop)
		<-r.done
	})
}
