package tlshello

import "sync"

// DefaultMaxHandshake is the default of [Decoder.MaxHandshake].
const DefaultMaxHandshake = 16 << 10

// DefaultMaxCertificate is the default of [Decoder.MaxCertificate].
const DefaultMaxCertificate = 16 << 10

// maxRecord is the longest record a Decoder accepts: 2^14 bytes of
// plaintext and the 2048 more that TLS 1.2 allows a protected record
// (RFC 5246 6.2.3).
const maxRecord = 1<<14 + 2048

// Kind says what an [Item] is.
type Kind uint8

// Item kinds.
const (
	KindClientHello Kind = iota + 1 // a ClientHello; see Item.ClientHello
	KindServerHello                 // a ServerHello or HelloRetryRequest; see Item.ServerHello
	KindHandshake                   // another handshake message, by type and length
	KindEncrypted                   // a ChangeCipherSpec (before TLS 1.3) or application-data record: the rest of the direction is encrypted
	KindCertificate                 // a Certificate message; see Item.Certificate
)

var kindNames = [...]string{"", "client-hello", "server-hello", "handshake", "encrypted", "certificate"}

func (k Kind) String() string { return codeName(kindNames[:], int(k), "Kind") }

// Item is one thing a [Decoder] found in the stream.
type Item struct {
	Kind   Kind
	Offset int64         // stream offset of the handshake message's header, or of the record for KindEncrypted
	Type   HandshakeType // the handshake message's type (not for KindEncrypted)
	Length int           // the handshake message's body length (not for KindEncrypted)
	Record ContentType   // KindEncrypted: ContentChangeCipherSpec or ContentApplicationData

	// The parsed hello or certificate, owned by the decoder; it and its
	// views are valid until the next call to Next or Feed.
	ClientHello *ClientHello // KindClientHello
	ServerHello *ServerHello // KindServerHello
	Certificate *Certificate // KindCertificate: the first certificate of the list, the sender's own
}

// A Decoder reads the TLS handshake of one direction of a passively observed
// TCP stream, fed in chunks of any size: it gathers handshake records (any
// record version 3.x), reassembles handshake messages across records and
// chunks, parses ClientHello and ServerHello bodies and the first
// certificate of Certificate messages (the sender's own, in clear text in
// TLS 1.2 and before), and reports other handshake messages by type and
// length without reading their bodies. Items and errors are the same
// however the stream is cut.
//
// The handshake is in clear text up to a ChangeCipherSpec (TLS 1.2 and
// before) or the first application-data record (TLS 1.3, whose later
// handshake messages travel encrypted in them). That record is reported as
// [KindEncrypted] and ends the direction: the decoder ignores whatever is
// fed after it, at no cost. In TLS 1.3, ChangeCipherSpec records are
// dummies for middleboxes, after which a second ClientHello and ServerHello
// follow a HelloRetryRequest in clear text: once the decoder knows the
// version is TLS 1.3 (from the ServerHello it decodes, or from
// [Decoder.SetVersion] in the client's direction), it skips them. Alert
// records are skipped; SSL 2.0 records are not TLS records
// (ErrNotHandshake).
//
// Only hellos and the first certificate of a Certificate message are
// buffered (the certificates after it are skipped as they stream by), and
// only when they are split across records or chunks, up to MaxHandshake
// and MaxCertificate bytes, in a buffer that decoders share through a pool
// and that goes back to it once the hello or certificate is parsed: a
// decoder holds no memory between them. One inside one record and one
// chunk is parsed where it lies. Other messages are skipped as they stream
// by, whatever their length. The zero value is ready to use. A Decoder
// allocates only to grow the pool's buffers and to return errors.
type Decoder struct {
	// MaxHandshake limits the body of a ClientHello or ServerHello the
	// decoder gathers, 0 meaning DefaultMaxHandshake. A longer hello is
	// reported with ErrTooLarge and skipped.
	MaxHandshake int
	// MaxCertificate limits the first certificate of a Certificate
	// message the decoder gathers, 0 meaning DefaultMaxCertificate. A
	// longer one is reported with ErrTooLarge and skipped.
	MaxCertificate int

	in  []byte // unconsumed input
	off int64  // stream offset of in[0]

	rec     [5]byte // record header being gathered
	recN    int
	recOff  int64 // stream offset of the current record
	recLeft int   // payload bytes of the current record still to come
	recType ContentType

	hdr      [4]byte // handshake message header being gathered
	hdrN     int
	msgOff   int64 // stream offset of the current message's header
	inBody   bool  // the header is complete, the body is arriving
	msgType  HandshakeType
	msgLen   int
	msgLeft  int   // body bytes still to come
	keep     bool  // gathering the body (a hello) rather than skipping it
	tooLarge bool  // skipping a hello reported with ErrTooLarge
	bodyOff  int64 // stream offset of the gathered body's (or certificate's) first byte
	contig   int   // gathered bytes from bodyOff before another record header, -1: all so far

	// A Certificate message: certificate_list's length and the first
	// certificate's (lead), then that certificate (leafLen bytes, leafN so
	// far), then the rest of the message, skipped.
	cert    certPhase
	lead    [6]byte
	leadN   int
	leafLen int
	leafN   int

	buf  *buffer // body of a hello split across records or chunks, nil between such hellos
	drop bool    // buf holds a message already returned

	done    bool  // the direction is encrypted, broken or ended
	tls13   bool  // the server chose TLS 1.3: ChangeCipherSpec records are dummies
	pend    Item  // an item to return at the next call
	pendErr error // an error to return at the next call

	ch  ClientHello
	sh  ServerHello
	crt Certificate
}

// certPhase is where a Decoder is in a Certificate message.
type certPhase uint8

const (
	certNone certPhase = iota // not in a Certificate message
	certLead                  // gathering the list's and the first certificate's lengths
	certLeaf                  // gathering the first certificate
	certRest                  // skipping the rest of the message
)

// A hello split across records or chunks is gathered in a buffer from
// bufPool, which goes back to the pool at the call after the hello is
// returned, so that a decoder between hellos, or whose direction has ended,
// holds no memory, and decoders share the few buffers they need at once.
var bufPool = sync.Pool{New: func() any { return new(buffer) }}

type buffer struct{ b []byte }

// maxPooled is the largest buffer that goes back to the pool.
const maxPooled = 64 << 10

func (d *Decoder) release() {
	if d.buf != nil {
		if cap(d.buf.b) <= maxPooled {
			d.buf.b = d.buf.b[:0]
			bufPool.Put(d.buf)
		}
		d.buf = nil
	}
	d.drop = false
}

func (d *Decoder) maxHandshake() int {
	if d.MaxHandshake > 0 {
		return d.MaxHandshake
	}
	return DefaultMaxHandshake
}

func (d *Decoder) maxCertificate() int {
	if d.MaxCertificate > 0 {
		return d.MaxCertificate
	}
	return DefaultMaxCertificate
}

// Reset makes the decoder ready for a new stream, keeping MaxHandshake and
// MaxCertificate. A buffer it holds goes back to the pool all decoders
// share.
func (d *Decoder) Reset() {
	d.release()
	*d = Decoder{MaxHandshake: d.MaxHandshake, MaxCertificate: d.MaxCertificate}
}

// SetVersion tells the decoder the version the server chose, which the
// decoder of the client's direction cannot see: call it with the
// SelectedVersion of the ServerHello the server's decoder reported. The
// decoder of the server's direction learns it from that ServerHello
// itself. Once the version is TLS 1.3, ChangeCipherSpec records are the
// dummies RFC 8446 D.4 sends for middleboxes: they are skipped, and the
// direction ends at its first application-data record instead (every
// encrypted TLS 1.3 record is one). So the second ClientHello and
// ServerHello after a HelloRetryRequest, which follow such a record in
// clear text, are reported too.
func (d *Decoder) SetVersion(v Version) {
	if v == VersionTLS13 {
		d.tls13 = true
	}
}

// Feed gives the decoder the next bytes of the stream. Call Next until it
// returns [ErrNeedMore] before feeding more; p is not used after that. Once
// the direction has ended, Feed ignores p.
func (d *Decoder) Feed(p []byte) {
	if !d.done {
		d.in = p
	}
}

// Gap tells the decoder that n bytes of the stream (n < 0: an unknown
// number) were lost before the next Feed. Record boundaries cannot be found
// again after a gap, so the direction ends; a record or handshake message
// in progress is reported by the next call to Next as ErrTruncated.
func (d *Decoder) Gap(n int) { d.end() }

// Flush tells the decoder that the stream has ended: the next call to Next
// reports a record or handshake message in progress as ErrTruncated.
func (d *Decoder) Flush() { d.end() }

func (d *Decoder) end() {
	if d.done {
		return
	}
	switch {
	case d.inBody || d.hdrN > 0:
		d.pendErr = &Error{Offset: d.msgOff, Err: ErrTruncated}
	case d.recN > 0 || d.recLeft > 0:
		d.pendErr = &Error{Offset: d.recOff, Err: ErrTruncated}
	}
	d.finish()
}

func (d *Decoder) finish() {
	d.release()
	d.done = true
	d.in = nil
	d.inBody, d.hdrN, d.recN, d.recLeft = false, 0, 0, 0
}

// Buffered returns the bytes of a split hello or certificate the decoder
// holds, for callers that keep a memory budget across many streams.
func (d *Decoder) Buffered() int {
	if d.buf == nil {
		return 0
	}
	return len(d.buf.b)
}

func (d *Decoder) consume(n int) {
	d.in = d.in[n:]
	d.off += int64(n)
}

// Next returns the next item, or [ErrNeedMore] when the input is consumed.
// Other errors are [*Error] values that report malformed input once, with
// its stream offset, and the next call goes on: a malformed hello
// (ErrMalformed) or one longer than MaxHandshake (ErrTooLarge) is skipped,
// and so is a Certificate message whose lengths or first certificate are
// malformed (ErrCertificate) or whose first certificate is longer than
// MaxCertificate (ErrTooLarge). A Certificate message with an empty list
// (a client without a certificate) is reported as KindHandshake;
// bytes that are not a TLS record (ErrNotHandshake) and a record longer than
// 2^14+2048 bytes (ErrTooLarge) end the direction. Views in the item are
// valid until the next call to Next or Feed.
func (d *Decoder) Next() (Item, error) {
	if d.pend.Kind != 0 || d.pendErr != nil {
		it, err := d.pend, d.pendErr
		d.pend, d.pendErr = Item{}, nil
		return it, err
	}
	if d.drop {
		d.release()
	}
	for !d.done && len(d.in) > 0 {
		if d.recLeft == 0 {
			if it, ok, err := d.recordHeader(); ok {
				return it, err
			}
			continue
		}
		avail := min(d.recLeft, len(d.in))
		if d.recType == ContentAlert || d.recType == ContentChangeCipherSpec {
			d.consume(avail)
			d.recLeft -= avail
			continue
		}
		if !d.inBody {
			if d.hdrN == 0 {
				d.msgOff = d.off
			}
			c := copy(d.hdr[d.hdrN:], d.in[:avail])
			d.hdrN += c
			d.consume(c)
			d.recLeft -= c
			if d.hdrN < len(d.hdr) {
				continue
			}
			d.hdrN = 0
			d.msgType = HandshakeType(d.hdr[0])
			d.msgLen = int(d.hdr[1])<<16 | int(d.hdr[2])<<8 | int(d.hdr[3])
			d.msgLeft, d.bodyOff, d.contig, d.inBody = d.msgLen, d.off, -1, true
			d.keep = d.msgType == TypeClientHello || d.msgType == TypeServerHello
			d.tooLarge = d.keep && d.msgLen > d.maxHandshake()
			if d.tooLarge {
				d.keep = false
				return Item{}, &Error{Offset: d.msgOff, Err: ErrTooLarge}
			}
			if d.msgType == TypeCertificate {
				d.cert, d.leadN = certLead, 0
			}
			if d.msgLen == 0 {
				if d.cert != certNone {
					it, _, err := d.certEnd()
					return it, err
				}
				return d.message(nil)
			}
			continue
		}
		n := min(avail, d.msgLeft)
		if d.cert != certNone {
			if it, ok, err := d.certificate(n); ok {
				return it, err
			}
			continue
		}
		var body []byte
		switch {
		case !d.keep:
		case d.buf == nil && n == d.msgLen:
			body = d.in[:n] // the whole body is here: parse it in place
		default:
			body = d.gather(d.in[:n], d.msgLen)
		}
		d.take(n)
		if d.msgLeft > 0 {
			continue
		}
		if d.tooLarge {
			d.inBody, d.tooLarge = false, false
			continue
		}
		return d.message(body)
	}
	d.in = nil
	return Item{}, ErrNeedMore
}

// recordHeader gathers a record header and checks it. It reports whether
// Next should return the item and error it returns.
func (d *Decoder) recordHeader() (Item, bool, error) {
	if d.recN == 0 {
		d.recOff = d.off
	}
	c := copy(d.rec[d.recN:], d.in)
	d.recN += c
	d.consume(c)
	if d.recN < len(d.rec) {
		return Item{}, false, nil
	}
	d.recN = 0
	typ, n := ContentType(d.rec[0]), int(d.rec[3])<<8|int(d.rec[4])
	switch {
	case d.rec[1] != 3 || typ < ContentChangeCipherSpec || typ > ContentApplicationData:
		d.finish()
		return Item{}, true, &Error{Offset: d.recOff, Err: ErrNotHandshake}
	case n > maxRecord:
		d.finish()
		return Item{}, true, &Error{Offset: d.recOff, Err: ErrTooLarge}
	case typ == ContentChangeCipherSpec && d.tls13:
		// RFC 8446 D.4: a dummy for middleboxes, skipped like an alert.
	case typ == ContentChangeCipherSpec || typ == ContentApplicationData:
		it := Item{Kind: KindEncrypted, Offset: d.recOff, Record: typ}
		var err error
		if d.inBody || d.hdrN > 0 {
			// RFC 8446 5.1: handshake messages are not interleaved with
			// other record types.
			it, d.pend, err = Item{}, it, &Error{Offset: d.msgOff, Err: ErrTruncated}
		}
		d.finish()
		return it, true, err
	}
	d.recType, d.recLeft = typ, n
	if d.inBody && typ == ContentHandshake && (d.cert == certNone || d.cert == certLeaf) {
		// The body (or certificate) being gathered goes on after this
		// header: offsets inside it are known up to here.
		seen := d.msgLen - d.msgLeft
		if d.cert == certLeaf {
			seen = d.leafN
		}
		if seen == 0 {
			d.bodyOff = d.off
		} else if d.contig < 0 {
			d.contig = seen
		}
	}
	return Item{}, false, nil
}

// gather appends p to the pooled buffer, which it takes from the pool
// first when the decoder holds none; a buffer too small for total bytes is
// replaced.
func (d *Decoder) gather(p []byte, total int) []byte {
	if d.buf == nil {
		d.buf = bufPool.Get().(*buffer)
		if cap(d.buf.b) < total {
			d.buf.b = make([]byte, 0, min(total, DefaultMaxHandshake))
		}
	}
	d.buf.b = append(d.buf.b, p...)
	return d.buf.b
}

// bodyPos returns the stream offset of byte off of what is being gathered:
// exact when no record header came before it inside, that of the message
// otherwise.
func (d *Decoder) bodyPos(off int) int64 {
	if d.contig < 0 || off < d.contig {
		return d.bodyOff + int64(off)
	}
	return d.msgOff
}

// certificate consumes up to n bytes of a Certificate message's body. It
// reports whether Next should return the item and error it returns.
func (d *Decoder) certificate(n int) (Item, bool, error) {
	switch d.cert {
	case certLead:
		c := copy(d.lead[d.leadN:], d.in[:n])
		d.leadN += c
		d.take(c)
		if d.leadN < len(d.lead) {
			if d.msgLeft == 0 {
				return d.certEnd()
			}
			return Item{}, false, nil
		}
		list := int(d.lead[0])<<16 | int(d.lead[1])<<8 | int(d.lead[2])
		d.leafLen = int(d.lead[3])<<16 | int(d.lead[4])<<8 | int(d.lead[5])
		switch {
		case list != d.msgLen-3 || d.leafLen == 0 || d.leafLen > list-3:
			return d.certSkip(&Error{Offset: d.msgOff, Err: ErrCertificate})
		case d.leafLen > d.maxCertificate():
			return d.certSkip(&Error{Offset: d.msgOff, Err: ErrTooLarge})
		}
		d.cert, d.leafN, d.bodyOff, d.contig = certLeaf, 0, d.off, -1
	case certLeaf:
		m := min(n, d.leafLen-d.leafN)
		var der []byte
		if d.buf == nil && m == d.leafLen {
			der = d.in[:m] // the whole certificate is here: parse it in place
		} else {
			der = d.gather(d.in[:m], d.leafLen)
		}
		d.leafN += m
		d.take(m)
		if d.leafN < d.leafLen {
			return Item{}, false, nil
		}
		d.drop = d.buf != nil
		d.cert = certRest
		if d.msgLeft == 0 {
			d.inBody, d.cert = false, certNone
		}
		if off, ok := d.crt.parse(der); !ok {
			return Item{}, true, &Error{Offset: d.bodyPos(off), Err: ErrCertificate}
		}
		return Item{Kind: KindCertificate, Offset: d.msgOff, Type: TypeCertificate, Length: d.msgLen, Certificate: &d.crt}, true, nil
	case certRest:
		d.take(n)
		if d.msgLeft == 0 {
			d.inBody, d.cert = false, certNone
		}
	}
	return Item{}, false, nil
}

// take consumes n bytes of the current message's body.
func (d *Decoder) take(n int) {
	d.consume(n)
	d.recLeft -= n
	d.msgLeft -= n
}

// certEnd ends a Certificate message shorter than its two lengths: one
// with an empty list is a KindHandshake item, any other is malformed.
func (d *Decoder) certEnd() (Item, bool, error) {
	d.inBody, d.cert = false, certNone
	if d.msgLen == 3 && d.leadN == 3 && d.lead[0]|d.lead[1]|d.lead[2] == 0 {
		return Item{Kind: KindHandshake, Offset: d.msgOff, Type: TypeCertificate, Length: d.msgLen}, true, nil
	}
	return Item{}, true, &Error{Offset: d.msgOff, Err: ErrCertificate}
}

// certSkip returns err and skips the rest of the Certificate message.
func (d *Decoder) certSkip(err error) (Item, bool, error) {
	d.cert = certRest
	if d.msgLeft == 0 {
		d.inBody, d.cert = false, certNone
	}
	return Item{}, true, err
}

// message returns the item for the message just completed; body is the
// body of a hello.
func (d *Decoder) message(body []byte) (Item, error) {
	d.inBody = false
	d.drop = d.buf != nil
	it := Item{Kind: KindHandshake, Offset: d.msgOff, Type: d.msgType, Length: d.msgLen}
	var off int
	var err error
	switch d.msgType {
	case TypeClientHello:
		off, err = d.ch.parse(body)
		it.Kind, it.ClientHello = KindClientHello, &d.ch
	case TypeServerHello:
		off, err = d.sh.parse(body)
		it.Kind, it.ServerHello = KindServerHello, &d.sh
		if err == nil && d.sh.SelectedVersion() == VersionTLS13 {
			d.tls13 = true
		}
	}
	if err != nil {
		return Item{}, &Error{Offset: d.bodyPos(off), Err: err}
	}
	return it, nil
}
