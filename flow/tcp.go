package flow

// TCP reassembly, per direction of a flow.
//
// Policy:
//   - Bytes are delivered to the decoder in sequence order, exactly once.
//   - Retransmitted bytes (before the next expected sequence number) are
//     dropped and counted in Stats.Retransmitted.
//   - Overlaps are resolved first-wins: bytes already delivered or already
//     buffered are kept, and the overlapping part of a later segment is
//     dropped and counted in Stats.OverlapBytes.
//   - Segments ahead of a hole are copied into a bounded buffer (per
//     direction and per engine). When a buffer limit would be exceeded, or
//     the flow ends, the hole is skipped: the decoder's Gap method is told
//     how many bytes are missing and delivery resumes after the hole.
//   - A flow whose handshake was not captured starts at the first segment
//     seen in each direction.
//   - RST ends the flow at once; FIN ends a direction once every byte before
//     it was delivered, and the flow once both directions have ended.

type tcpStream struct {
	init     bool
	next     uint32 // next expected sequence number
	fin      bool
	finSeq   uint32
	finDone  bool
	segs     []seg // out-of-order segments, sorted by seq, not overlapping
	buffered int
}

type seg struct {
	seq  uint32
	data []byte // owned, from the engine's segPool
}

func (f *Flow) closing() bool {
	if f.closed {
		return false
	}
	if f.endReason == "rst" {
		return true
	}
	if f.tcp[0].finDone && f.tcp[1].finDone {
		f.endReason = "fin"
		return true
	}
	return false
}

func (e *Engine) tcpSegment(f *Flow, dir Dir, p *Packet) {
	s := &f.tcp[dir]
	if p.Flags&FlagRST != 0 {
		f.endReason = "rst"
		return
	}
	seq := p.Seq
	if p.Flags&FlagSYN != 0 {
		if !s.init || int32(seq+1-s.next) > 0 {
			s.init = true
			s.next = seq + 1
		}
		seq++
	}
	data := p.Payload
	if !s.init {
		if len(data) == 0 && p.Flags&FlagFIN == 0 {
			return
		}
		s.init = true
		s.next = seq
	}
	if p.Flags&FlagFIN != 0 && !s.fin {
		s.fin = true
		s.finSeq = seq + uint32(len(data))
	}
	if len(data) > 0 {
		e.tcpData(f, dir, s, seq, data)
	}
	if s.fin && int32(s.next-s.finSeq) >= 0 {
		s.finDone = true
	}
}

func (e *Engine) tcpData(f *Flow, dir Dir, s *tcpStream, seq uint32, data []byte) {
	d := int32(seq - s.next)
	if d+int32(len(data)) <= 0 || len(data) > 1<<30 {
		e.stats.Retransmitted += uint64(len(data))
		return
	}
	if d < 0 {
		e.stats.Retransmitted += uint64(-d)
		data = data[-d:]
		seq = s.next
		d = 0
	}
	if d == 0 && len(s.segs) == 0 {
		s.next += uint32(len(data))
		e.deliver(f, dir, data)
		return
	}
	if d > 0 {
		e.stats.OutOfOrder++
	}
	for tries := 0; !e.insert(s, seq, data); tries++ {
		// No room: skip the first hole and retry.
		if tries == 0 {
			e.stats.BufferDrops++
		}
		if len(s.segs) == 0 {
			if n := int32(seq - s.next); n > 0 {
				e.gap(f, dir, int(n))
			}
			s.next = seq + uint32(len(data))
			e.deliver(f, dir, data)
			return
		}
		e.skipHole(f, dir, s)
		if d := int32(seq - s.next); d+int32(len(data)) <= 0 {
			e.stats.OverlapBytes += uint64(len(data))
			return
		} else if d < 0 {
			e.stats.OverlapBytes += uint64(-d)
			data = data[-d:]
			seq = s.next
		}
	}
	e.drain(f, dir, s)
}

// insert copies data into the sorted segment list, keeping bytes that are
// already buffered (first wins). It reports false when the buffers are full.
func (e *Engine) insert(s *tcpStream, seq uint32, data []byte) bool {
	if s.buffered+len(data) > e.cfg.MaxFlowBufferedBytes ||
		int(e.stats.BufferedBytes)+len(data) > e.cfg.MaxBufferedBytes {
		return false
	}
	for i := 0; i < len(s.segs) && len(data) > 0; i++ {
		x := &s.segs[i]
		start := int32(seq - s.next)
		xs := int32(x.seq - s.next)
		xe := xs + int32(len(x.data))
		end := start + int32(len(data))
		if end <= xs { // wholly before x
			break
		}
		if start < xs { // head before x, rest overlaps
			n := xs - start
			e.insertAt(s, i, seq, data[:n])
			i++
			data, seq, start = data[n:], seq+uint32(n), xs
		}
		if start < xe { // overlaps x: x wins
			n := min(xe-start, int32(len(data)))
			e.stats.OverlapBytes += uint64(n)
			data = data[n:]
			seq += uint32(n)
		}
	}
	if len(data) > 0 {
		i := len(s.segs)
		for i > 0 && int32(s.segs[i-1].seq-seq) > 0 {
			i--
		}
		e.insertAt(s, i, seq, data)
	}
	return true
}

func (e *Engine) insertAt(s *tcpStream, i int, seq uint32, data []byte) {
	buf := e.segs.get(len(data))
	buf = append(buf, data...)
	s.segs = append(s.segs, seg{})
	copy(s.segs[i+1:], s.segs[i:])
	s.segs[i] = seg{seq: seq, data: buf}
	s.buffered += len(buf)
	e.stats.BufferedBytes += uint64(len(buf))
	if e.stats.BufferedBytes > e.stats.PeakBuffered {
		e.stats.PeakBuffered = e.stats.BufferedBytes
	}
}

// drain delivers buffered segments that are now in order.
func (e *Engine) drain(f *Flow, dir Dir, s *tcpStream) {
	for len(s.segs) > 0 {
		x := s.segs[0]
		d := int32(x.seq - s.next)
		if d > 0 {
			return
		}
		data := x.data
		if -d < int32(len(data)) {
			data = data[-d:]
			s.next += uint32(len(data))
			e.deliver(f, dir, data)
		}
		e.popSeg(s)
	}
}

// skipHole reports the hole before the first buffered segment as a gap and
// delivers what follows it.
func (e *Engine) skipHole(f *Flow, dir Dir, s *tcpStream) {
	if len(s.segs) == 0 {
		return
	}
	if n := int32(s.segs[0].seq - s.next); n > 0 {
		e.gap(f, dir, int(n))
		s.next = s.segs[0].seq
	}
	e.drain(f, dir, s)
}

func (e *Engine) popSeg(s *tcpStream) {
	x := s.segs[0]
	copy(s.segs, s.segs[1:])
	s.segs[len(s.segs)-1] = seg{}
	s.segs = s.segs[:len(s.segs)-1]
	s.buffered -= len(x.data)
	e.stats.BufferedBytes -= uint64(len(x.data))
	e.segs.put(x.data)
}

// flushStream delivers everything buffered in a direction, skipping holes.
func (e *Engine) flushStream(f *Flow, dir Dir) {
	s := &f.tcp[dir]
	for len(s.segs) > 0 {
		e.skipHole(f, dir, s)
	}
}

func (e *Engine) releaseStream(s *tcpStream) {
	for len(s.segs) > 0 {
		e.popSeg(s)
	}
	*s = tcpStream{segs: s.segs[:0]}
}

// segPool recycles the buffers of out-of-order segments.
type segPool struct {
	small, large [][]byte
}

const (
	smallSeg     = 2048
	largeSeg     = 64 << 10
	maxFreeSmall = 4096
	maxFreeLarge = 64
)

func (p *segPool) get(n int) []byte {
	switch {
	case n <= smallSeg:
		if k := len(p.small); k > 0 {
			b := p.small[k-1]
			p.small = p.small[:k-1]
			return b[:0]
		}
		return make([]byte, 0, smallSeg)
	case n <= largeSeg:
		if k := len(p.large); k > 0 {
			b := p.large[k-1]
			p.large = p.large[:k-1]
			return b[:0]
		}
		return make([]byte, 0, largeSeg)
	}
	return make([]byte, 0, n)
}

func (p *segPool) put(b []byte) {
	switch cap(b) {
	case smallSeg:
		if len(p.small) < maxFreeSmall {
			p.small = append(p.small, b)
		}
	case largeSeg:
		if len(p.large) < maxFreeLarge {
			p.large = append(p.large, b)
		}
	}
}
