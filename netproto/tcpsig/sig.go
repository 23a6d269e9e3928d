package tcpsig

import "encoding/binary"

// MaxOptions is the number of TCP options a [Signature] records, as p0f
// does: parsing stops there and, when option bytes remain, the quirk "bad"
// is set.
const MaxOptions = 24

// MaxDistance is the largest hop distance p0f believes: a TTL further than
// this below its initial value gets "?" as its distance.
const MaxDistance = 35

// SpecialMSS is the MSS of p0f's own probes (p0f-sendsyn); a SYN+ACK that
// echoes it has "*" as its MSS in the text form.
const SpecialMSS = 1331

// TCP header flags, as in the TCP header's flags byte.
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagRST = 0x04
	flagPSH = 0x08
	flagACK = 0x10
	flagURG = 0x20
	flagECE = 0x40
	flagCWR = 0x80
)

// Header sizes p0f uses when it looks for a window that is a multiple of
// an MSS derived from a 1500-byte MTU.
const (
	minTCP4 = 20 + 20
	minTCP6 = 40 + 20
)

// IsSYN reports whether a TCP header's flags byte marks a SYN as p0f
// fingerprints it: SYN set, ACK, FIN and RST clear (PSH, URG, ECE and CWR
// may be set).
func IsSYN(flags uint8) bool {
	return flags&(flagSYN|flagACK|flagFIN|flagRST) == flagSYN
}

// IsSYNACK reports whether flags mark a SYN+ACK as p0f fingerprints it:
// SYN and ACK set, FIN and RST clear.
func IsSYNACK(flags uint8) bool {
	return flags&(flagSYN|flagACK|flagFIN|flagRST) == flagSYN|flagACK
}

// Signature is the p0f signature of one TCP packet: every field of the
// raw_sig text, and the values they are derived from. It is comparable and
// of fixed size; the zero value (Version 0) means "no signature".
type Signature struct {
	Version  uint8 // IP version: 4 or 6
	TTL      uint8 // observed IPv4 TTL or IPv6 hop limit
	IPOptLen uint8 // bytes of IPv4 options
	// Flags is the TCP header's flags byte.
	Flags uint8
	// MSS is the value of the last MSS option, 0 when there is none.
	MSS uint16
	// Window is the TCP window, unscaled.
	Window uint16
	// WindowMultiple is Window divided by the divisor of WindowUnit when
	// p0f writes the window as such a multiple ("mss*44"), 0 when it
	// writes Window itself.
	WindowMultiple uint16
	WindowUnit     WindowUnit
	// WScale is the shift count of the last window scale option, 0 when
	// there is none.
	WScale uint8
	// Options holds the kinds of the first NumOptions TCP options, in
	// order; the rest is zero.
	Options    [MaxOptions]Option
	NumOptions uint8
	// EOLPad is the number of bytes after an end-of-options option.
	EOLPad uint8
	// Payload reports whether the packet carried data (p0f's pclass "+").
	Payload bool
	Quirks  Quirks
}

// IsZero reports whether s is the zero Signature, which stands for none.
func (s Signature) IsZero() bool { return s.Version == 0 }

// InitialTTL returns p0f's guess of the TTL the sender started with: the
// observed TTL rounded up to 32, 64, 128 or 255.
func (s Signature) InitialTTL() uint8 {
	switch {
	case s.TTL <= 32:
		return 32
	case s.TTL <= 64:
		return 64
	case s.TTL <= 128:
		return 128
	}
	return 255
}

// Distance returns the guessed number of hops to the sender,
// InitialTTL minus TTL, and whether p0f believes it (it is at most
// [MaxDistance]); p0f writes "?" when it does not.
func (s Signature) Distance() (hops uint8, ok bool) {
	d := s.InitialTTL() - s.TTL
	return d, d <= MaxDistance
}

// FromHeaders computes the signature of the packet whose IP header (IPv4
// with its options, or the fixed IPv6 header) is ip and whose TCP header
// with its options is tcp; payloadLen is the length of the TCP payload the
// IP header declares. Bytes of ip or tcp after the lengths their headers
// declare are ignored.
//
// peerMSS is, for a SYN+ACK, the MSS of the SYN it answers ([Signature.MSS]
// of that SYN's signature), which p0f also tries as a divisor of the window;
// pass 0 for a SYN or when the SYN was not seen.
//
// FromHeaders reports an [*Error] when a header is shorter than its
// minimum or than it declares, or ip is not IPv4 or IPv6; it does not
// check that the IP protocol is TCP or that the packet is a SYN. It never
// allocates when it succeeds.
func FromHeaders(ip, tcp []byte, payloadLen int, peerMSS uint16) (Signature, error) {
	var s Signature
	if len(ip) < 1 {
		return s, &Error{Offset: 0, Err: ErrTruncated}
	}
	var hdrLen int // IP header length, for the "actual size" MTU
	switch ip[0] >> 4 {
	case 4:
		if len(ip) < 20 {
			return s, &Error{Offset: int64(len(ip)), Err: ErrTruncated}
		}
		hdrLen = int(ip[0]&0x0f) * 4
		if hdrLen < 20 {
			return s, &Error{Offset: 0, Err: ErrHeaderLength}
		}
		if len(ip) < hdrLen {
			return s, &Error{Offset: int64(len(ip)), Err: ErrTruncated}
		}
		s.Version = 4
		s.IPOptLen = uint8(hdrLen - 20)
		s.TTL = ip[8]
		if ip[1]&0x03 != 0 {
			s.Quirks |= QuirkECN
		}
		frag := binary.BigEndian.Uint16(ip[6:8])
		if frag&0x8000 != 0 {
			s.Quirks |= QuirkMustBeZero
		}
		id := binary.BigEndian.Uint16(ip[4:6])
		if frag&0x4000 != 0 {
			s.Quirks |= QuirkDF
			if id != 0 {
				s.Quirks |= QuirkNonZeroID
			}
		} else if id == 0 {
			s.Quirks |= QuirkZeroID
		}
	case 6:
		if len(ip) < 40 {
			return s, &Error{Offset: int64(len(ip)), Err: ErrTruncated}
		}
		hdrLen = 40
		s.Version = 6
		s.TTL = ip[7]
		vtf := binary.BigEndian.Uint32(ip[0:4])
		if vtf&0xfffff != 0 {
			s.Quirks |= QuirkFlow
		}
		if (vtf>>20)&0x03 != 0 {
			s.Quirks |= QuirkECN
		}
	default:
		return s, &Error{Offset: 0, Err: ErrVersion}
	}

	base := int64(hdrLen) // offsets of TCP errors count from the IP header
	if len(tcp) < 20 {
		return Signature{}, &Error{Offset: base + int64(len(tcp)), Err: ErrTruncated}
	}
	doff := int(tcp[12]>>4) * 4
	if doff < 20 {
		return Signature{}, &Error{Offset: base + 12, Err: ErrHeaderLength}
	}
	if len(tcp) < doff {
		return Signature{}, &Error{Offset: base + int64(len(tcp)), Err: ErrTruncated}
	}
	flags := tcp[13]
	s.Flags = flags
	s.Window = binary.BigEndian.Uint16(tcp[14:16])
	s.Payload = payloadLen > 0
	if flags&(flagECE|flagCWR) != 0 || tcp[12]&0x01 != 0 {
		s.Quirks |= QuirkECN
	}
	if binary.BigEndian.Uint32(tcp[4:8]) == 0 {
		s.Quirks |= QuirkZeroSeq
	}
	if flags&flagACK != 0 {
		if binary.BigEndian.Uint32(tcp[8:12]) == 0 {
			s.Quirks |= QuirkZeroACK
		}
	} else if tcp[8]&0x01 != 0 && flags&flagRST == 0 {
		// See QuirkNonZeroACK: the bit p0f's test actually looks at.
		s.Quirks |= QuirkNonZeroACK
	}
	if flags&flagURG != 0 {
		s.Quirks |= QuirkURG
	} else if tcp[18]|tcp[19] != 0 {
		s.Quirks |= QuirkNonZeroURG
	}
	if flags&flagPSH != 0 {
		s.Quirks |= QuirkPush
	}
	ts1 := s.parseOptions(tcp[20:doff], IsSYN(flags))
	s.WindowMultiple, s.WindowUnit = windowMultiple(s.Window, s.MSS, ts1, s.Version, hdrLen+doff, peerMSS)
	return s, nil
}

// parseOptions records the option layout, MSS, window scale, padding and
// option quirks of opts, the TCP options, and returns the first timestamp
// of the last timestamp option (0 when there is none). syn reports whether
// the packet is a SYN, whose second timestamp should be zero.
//
// It follows p0f's reading: every option kind is recorded before its length
// is checked; an option that does not fit, or a SACK or unknown option with
// an impossible length, ends the list with the quirk "bad"; a wrong length
// of a fixed-size option sets "bad" but the option is read at its proper
// size; after an end-of-options option the rest is padding.
func (s *Signature) parseOptions(opts []byte, syn bool) (ts1 uint32) {
	end := len(opts)
	i := 0
	n := 0
	for i < end && n < MaxOptions {
		kind := opts[i]
		s.Options[n] = Option(kind)
		n++
		i++
		switch Option(kind) {
		case OptEOL:
			s.EOLPad = uint8(end - i)
			// The padding should be zeros; p0f stops at the first byte
			// that is not (reading past it), and flags it unless that byte
			// was the last.
			for i < end {
				c := opts[i]
				i++
				if c != 0 {
					break
				}
			}
			if i != end {
				s.Quirks |= QuirkOptEOLNonZero
				i = end
			}
		case OptNOP:
		case OptMSS, OptWS, OptSOK, OptTS:
			// Fixed sizes: a wrong length byte is a quirk, but the option
			// is read at its proper size.
			size := 2
			switch Option(kind) {
			case OptMSS:
				size = 4
			case OptWS:
				size = 3
			case OptTS:
				size = 10
			}
			if i+size-1 > end {
				s.Quirks |= QuirkOptBad
				i = end
				break
			}
			if int(opts[i]) != size {
				s.Quirks |= QuirkOptBad
			}
			v := opts[i+1 : i+size-1] // the value, after kind and length
			switch Option(kind) {
			case OptMSS:
				s.MSS = binary.BigEndian.Uint16(v)
			case OptWS:
				s.WScale = v[0]
				if s.WScale > 14 {
					s.Quirks |= QuirkOptExcessWS
				}
			case OptTS:
				ts1 = binary.BigEndian.Uint32(v)
				if ts1 == 0 {
					s.Quirks |= QuirkOptZeroTS1
				}
				if syn && binary.BigEndian.Uint32(v[4:]) != 0 {
					s.Quirks |= QuirkOptNonZeroTS2
				}
			}
			i += size - 1
		default:
			// SACK (10 to 34 bytes) and unknown options (2 to 40 bytes)
			// are skipped by their length when it is possible.
			lo, hi := 2, 40
			if Option(kind) == OptSACK {
				lo, hi = 10, 34
			}
			if i == end {
				s.Quirks |= QuirkOptBad
				break
			}
			l := int(opts[i])
			if l < lo || l > hi || i-1+l > end {
				s.Quirks |= QuirkOptBad
				i = end
				break
			}
			i += l - 1
		}
	}
	s.NumOptions = uint8(n)
	if i != end {
		s.Quirks |= QuirkOptBad
	}
	return ts1
}

// WindowUnit says what [Signature.WindowMultiple] multiplies.
type WindowUnit uint8

// The units of a window written as a multiple. p0f tries, in order and
// keeping the first that divides the window: the MSS; the MSS less 12 when
// the packet has a timestamp option with a non-zero first timestamp; 1460
// and 1448, and for IPv6 1440 and 1428 (the MSS, with and without
// timestamps, of a 1500-byte MTU); these are all [WindowMSS]. Then the MSS
// plus 40 (IPv4 and TCP headers), the MSS plus the packet's own IP and TCP
// header lengths, for IPv6 the MSS plus 60, and 1500; these are
// [WindowMTU]. Last, for a SYN+ACK, the MSS of the SYN it answers and that
// less 12 ([WindowMSS]). None is tried when the window is 0 or the MSS is
// below 100.
const (
	WindowPlain WindowUnit = iota // the window is written as it is
	WindowMSS                     // "mss*N"
	WindowMTU                     // "mtu*N"
)

// String returns "plain", "mss", "mtu", or "WindowUnit(N)".
func (u WindowUnit) String() string {
	switch u {
	case WindowPlain:
		return "plain"
	case WindowMSS:
		return "mss"
	case WindowMTU:
		return "mtu"
	}
	return "WindowUnit(" + itoa(uint64(u)) + ")"
}

// windowMultiple returns the window as p0f writes it: a multiple and its
// unit, or 0 and WindowPlain. tot is the length of the IP and TCP headers.
func windowMultiple(win, mss uint16, ts1 uint32, ver uint8, tot int, peerMSS uint16) (uint16, WindowUnit) {
	if win == 0 || mss < 100 {
		return 0, WindowPlain
	}
	w, m := int(win), int(mss)
	// Every divisor but the last two is positive (m >= 100).
	switch {
	case w%m == 0:
		return uint16(w / m), WindowMSS
	case ts1 != 0 && w%(m-12) == 0:
		return uint16(w / (m - 12)), WindowMSS
	case w%(1500-minTCP4) == 0:
		return uint16(w / (1500 - minTCP4)), WindowMSS
	case w%(1500-minTCP4-12) == 0:
		return uint16(w / (1500 - minTCP4 - 12)), WindowMSS
	case ver == 6 && w%(1500-minTCP6) == 0:
		return uint16(w / (1500 - minTCP6)), WindowMSS
	case ver == 6 && w%(1500-minTCP6-12) == 0:
		return uint16(w / (1500 - minTCP6 - 12)), WindowMSS
	case w%(m+minTCP4) == 0:
		return uint16(w / (m + minTCP4)), WindowMTU
	case w%(m+tot) == 0:
		return uint16(w / (m + tot)), WindowMTU
	case ver == 6 && w%(m+minTCP6) == 0:
		return uint16(w / (m + minTCP6)), WindowMTU
	case w%1500 == 0:
		return uint16(w / 1500), WindowMTU
	case peerMSS == 0:
		return 0, WindowPlain
	}
	for _, d := range [2]int{int(peerMSS), int(peerMSS) - 12} {
		if d == 0 || w%d != 0 {
			continue
		}
		// p0f keeps the quotient in a 16-bit signed integer and writes the
		// window as it is unless that is positive: a negative divisor (a
		// peer MSS below 12), or a quotient over 32767, stops the search
		// with the plain window.
		q := int16(w / d)
		if q <= 0 {
			return 0, WindowPlain
		}
		return uint16(q), WindowMSS
	}
	return 0, WindowPlain
}
