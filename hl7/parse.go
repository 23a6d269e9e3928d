package hl7

import "math/bits"

// segKey packs a three-byte segment name into a word, for look-ups.
func segKey(a, b, c byte) uint32 { return uint32(a) | uint32(b)<<8 | uint32(c)<<16 }

// slack is the room parse keeps free at the end of its entry buffer before
// each block: 64 entries at most per block, one final sentinel, plus the up
// to seven entries emit writes past its count.
const slack = blockSize + 16

// The entries. Parse records in m.seps the offset in the message of every
// field separator and every CR and LF from the first segment on, in order,
// after one leading entry holding the offset before the first segment.
// A plain segment's view is the entries from its first separator to its
// terminator (or a final sentinel holding len(data) for the last segment
// when it has none), so that field i is data[seps[i-1]+1:seps[i]]. A
// header segment's view starts one entry earlier, with the terminator
// before it (or the leading entry), so that from MSH-2 on its fields index
// the same way. Terminators inside a segment (a line break in a value) are
// removed.

// parser is the state of one Message.parse.
type parser struct {
	m         *Message
	data      []byte
	segs      []span
	buf       []uint32 // m.seps at full capacity; buf[:n] is in use
	n         int
	shift     int  // entries removed since the kernel's batch was written
	inSeg     bool // a segment is open
	next      int  // first byte not yet consumed as part of a terminator
	nonFields int  // entries in buf that are not field separators
	lines     int  // terminators seen (a CRLF is one)
	maxSegs   int
	maxFields int
	term      Terminators
	sep       byte
}

func (m *Message) parse(data []byte) error {
	m.raw = data
	m.segs = m.segs[:0]
	m.seps = m.seps[:0]
	m.term = 0
	start := 0
	for start < len(data) && (data[start] == '\r' || data[start] == '\n') {
		start++
	}
	if start == len(data) {
		return perr(start, nil, ErrEmpty)
	}
	if len(data)-start < 3 || string(data[start:start+3]) != "MSH" {
		return perr(start, data[start:min(start+3, len(data))], ErrNoMSH)
	}
	d, _, ok := parseDelimiters(data[start:])
	if !ok {
		return perr(start+3, data[start:start+3], ErrDelimiters)
	}
	m.d, m.pd = d, pack(d)
	p := parser{m: m, data: data, segs: m.segs[:0], buf: m.seps[:cap(m.seps)], sep: d.Field, maxSegs: m.MaxSegments, maxFields: m.MaxFields}
	if p.maxSegs <= 0 {
		p.maxSegs = DefaultMaxSegments
	}
	if p.maxFields <= 0 {
		p.maxFields = DefaultMaxFields
	}
	if len(p.buf) < slack {
		p.grow(0)
	}
	err := p.run(start)
	// The buffers are kept, grown or not, on error too: Parse empties
	// them and the next message reuses their room.
	m.segs, m.seps, m.term = p.segs, p.buf[:p.n], p.term
	return err
}

// run indexes the segments from the MSH at start.
func (p *parser) run(start int) error {
	data := p.data
	p.buf[0] = uint32(start - 1) // before MSH-1 (wraps to all ones at 0)
	p.n, p.nonFields = 1, 1
	if err := p.open(start, 0); err != nil {
		return err
	}
	base, rest := start, data[start:]
	for len(rest) >= blockSize {
		// A batch: the kernel writes every entry until it has seen
		// batchBlocks blocks holding terminators or the buffer is
		// nearly full, then those blocks are walked for the segments.
		if len(p.buf)-p.n < batchRoom {
			p.grow(batchRoom)
		}
		tblocks := &p.m.tblocks
		consumed, w, nm := scanEmit(rest, p.sep, uint32(base), p.buf[p.n:len(p.buf)-slack], tblocks[:])
		n0 := p.n
		p.n += w
		p.shift = 0
		for i := range tblocks[:nm] {
			tb := &tblocks[i]
			if err := p.terminators(base+int(tb.off), n0+int(tb.n0), tb.all, tb.term); err != nil {
				return err
			}
		}
		if p.n-p.nonFields > p.maxFields {
			return p.tooManyFields()
		}
		base += consumed
		rest = rest[consumed:]
	}
	if len(rest) > 0 {
		// The last bytes, as a block followed by zeros, which match
		// nothing.
		var blk [blockSize]byte
		copy(blk[:], rest)
		if len(p.buf)-slack-p.n < emitRoom {
			p.grow(emitRoom)
		}
		var tb [1]termBlock
		_, w, nm := scanEmit(blk[:], p.sep, uint32(base), p.buf[p.n:len(p.buf)-slack], tb[:])
		n0 := p.n
		p.n += w
		p.shift = 0
		if nm == 1 {
			if err := p.terminators(base, n0+int(tb[0].n0), tb[0].all, tb[0].term); err != nil {
				return err
			}
		}
		if p.n-p.nonFields > p.maxFields {
			return p.tooManyFields()
		}
	}
	if p.inSeg {
		p.buf[p.n] = uint32(len(data)) // the sentinel ending the last segment
		p.n++
		p.nonFields++
		p.close(len(data), p.n-1)
	}
	return nil
}

// terminators handles the CRs and LFs (bits set in tm) of the block at at,
// whose entries (bits set in all) start at buf[n0], less p.shift entries
// removed since.
func (p *parser) terminators(at, n0 int, all, tm uint64) error {
	p.nonFields += bits.OnesCount64(tm)
	for tm != 0 {
		t := tz(tm)
		idx := n0 + bits.OnesCount64(all&(1<<t-1)) - p.shift
		if err := p.terminator(at+int(t), idx); err != nil {
			return err
		}
		tm &= tm - 1
	}
	return nil
}

// tooManyFields reports the segment holding the separator past the limit.
func (p *parser) tooManyFields() error {
	left, last := p.maxFields, len(p.segs)-1
	for i, sp := range p.segs {
		cnt := int(sp.f1-sp.f0) - 1 // without the terminator
		if i == last && p.inSeg {
			cnt = p.n - int(sp.f0)
		}
		if sp.hdr {
			cnt-- // the entry before the segment
		}
		if left -= cnt; left < 0 || i == last {
			return perr(sp.start, p.data[sp.start:sp.start+3], ErrTooManyFields)
		}
	}
	return perr(0, nil, ErrTooManyFields) // not reached: there is an open segment
}

// emitAt writes base+i for each set bit i of m at buf[n:], in order, and
// returns n plus the number of bits. It writes eight at a time: what lands
// past the count is overwritten later or left beyond the entries in use, so
// buf needs room for the count rounded up to eight.
func emitAt(buf []uint32, n int, m uint64, base uint32) int {
	end := n + bits.OnesCount64(m)
	for m != 0 {
		s := buf[n : n+8 : n+8]
		s[0] = base + tz(m)
		m &= m - 1
		s[1] = base + tz(m)
		m &= m - 1
		s[2] = base + tz(m)
		m &= m - 1
		s[3] = base + tz(m)
		m &= m - 1
		s[4] = base + tz(m)
		m &= m - 1
		s[5] = base + tz(m)
		m &= m - 1
		s[6] = base + tz(m)
		m &= m - 1
		s[7] = base + tz(m)
		m &= m - 1
		n += 8
	}
	return end
}

// grow makes room for more entries in buf past n, plus slack.
func (p *parser) grow(more int) {
	nb := make([]uint32, 2*len(p.buf)+more+4*slack)
	copy(nb, p.buf[:p.n])
	p.buf = nb
}

const (
	batchBlocks = 16   // blocks holding terminators the kernel reports per call
	batchRoom   = 4096 // entries of room parse makes for one call, at least
)

// terminator handles the CR or LF at at, whose entry is buf[idx]: it ends
// the open segment, records the kind of terminator and opens the next
// segment if one starts right after it.
func (p *parser) terminator(at, idx int) error {
	if at < p.next {
		return nil // the LF of a CRLF
	}
	data := p.data
	// Blank lines count against MaxSegments too: every terminator has an
	// entry, so this bounds the entries that are not fields.
	if p.lines++; p.lines > p.maxSegs {
		return perr(at, nil, ErrTooManySegments)
	}
	// The common case in one step: a CR ending a segment, then a plain
	// segment's name and its first field separator.
	if s := at + 1; p.inSeg && s+4 <= len(data) && data[at] == '\r' && data[s+3] == p.sep &&
		nameByte(data[s]) && nameByte(data[s+1]) && nameByte(data[s+2]) && len(p.segs) < p.maxSegs {
		key := segKey(data[s], data[s+1], data[s+2])
		if key != keyMSH && key != keyBHS && key != keyFHS {
			p.close(at, idx)
			p.term |= TermCR
			p.next = s
			p.segs = append(p.segs, span{})
			sp := &p.segs[len(p.segs)-1]
			sp.start, sp.end, sp.f0, sp.name = s, s+3, int32(idx+1), key
			p.inSeg = true
			return nil
		}
	}
	if p.inSeg {
		p.close(at, idx)
	}
	switch {
	case data[at] == '\n':
		p.term |= TermLF
		p.next = at + 1
	case at+1 < len(data) && data[at+1] == '\n':
		p.term |= TermCRLF
		p.next = at + 2
		idx++ // the LF's entry, next in buf (or in the next block)
	default:
		p.term |= TermCR
		p.next = at + 1
	}
	if s := p.next; s < len(data) && data[s] != '\r' && data[s] != '\n' {
		return p.open(s, idx)
	}
	return nil
}

// close ends the open segment at end, whose terminator's entry is buf[idx].
func (p *parser) close(end, idx int) {
	sp := &p.segs[len(p.segs)-1]
	sp.end = end
	sp.f1 = int32(idx + 1)
	p.inSeg = false
}

// open starts a segment at s, the first byte of a line whose preceding
// terminator has the entry buf[prev], after checking its name: three of
// [A-Z0-9], then the field separator or the end of the line. A line after
// a lone LF that does not start with a name continues the previous segment
// (an LF inside a value, as in messages wrapped for display).
func (p *parser) open(s, prev int) error {
	data, sep := p.data, p.sep
	valid := s+3 <= len(data) && nameByte(data[s]) && nameByte(data[s+1]) && nameByte(data[s+2]) &&
		(s+3 == len(data) || data[s+3] == sep || data[s+3] == '\r' || data[s+3] == '\n')
	segs := p.segs
	if !valid {
		prevLF := s > 0 && data[s-1] == '\n' && (s < 2 || data[s-2] != '\r')
		if prevLF && len(segs) > 0 {
			// Reopen the previous segment: remove the entries of the
			// line breaks since its end, which are part of a value.
			from := int(segs[len(segs)-1].f1) - 1
			k := prev + 1 - from
			copy(p.buf[from:], p.buf[prev+1:p.n])
			p.n -= k
			p.nonFields -= k
			p.shift += k
			p.inSeg = true
			return nil
		}
		e := s
		for e < len(data) && e < s+3 && data[e] != '\r' && data[e] != '\n' {
			e++
		}
		return perr(s, data[s:e], ErrSegmentName)
	}
	if len(segs) == p.maxSegs {
		return perr(s, nil, ErrTooManySegments)
	}
	hdr := s+3 < len(data) && data[s+3] == sep && isHeaderName(data[s:])
	f0 := prev + 1
	if hdr {
		f0 = prev
	}
	// Fields stored one by one: a span built on the stack and copied
	// whole stalls on store forwarding.
	p.segs = append(segs, span{})
	sp := &p.segs[len(p.segs)-1]
	sp.start, sp.end, sp.f0 = s, s+3, int32(f0)
	sp.name, sp.hdr = segKey(data[s], data[s+1], data[s+2]), hdr
	p.inSeg = true
	return nil
}

var (
	keyMSH = segKey('M', 'S', 'H')
	keyBHS = segKey('B', 'H', 'S')
	keyFHS = segKey('F', 'H', 'S')
)

func nameByte(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
