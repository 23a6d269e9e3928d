package http

import (
	"bytes"
	"encoding/base64"
)

// Default limits of a [Decoder].
const (
	DefaultMaxHead       = 16 << 10 // bytes of one head: start line, headers and the empty line
	DefaultMaxHeaders    = 100      // header lines of one head
	DefaultMaxPath       = 512      // bytes of the request target kept in Message.Target
	DefaultMaxBodyPrefix = 1024     // bytes of a multipart body kept to find its first part's content
)

type state uint8

const (
	stHead       state = iota // reading a head, or the empty lines before one
	stResync                  // skipping to a line that may start a message
	stBody                    // a Content-Length body: remain bytes left
	stChunkSize               // the hex digits of a chunk size line
	stChunkExt                // the rest of a chunk size line
	stChunkData               // chunk data: remain bytes left
	stChunkEnd                // the CRLF after chunk data
	stTrailer                 // the trailer section after the last chunk
	stUntilClose              // a response body that ends with the connection
	stTunnel                  // not HTTP any more
)

// Flags of the requests a response decoder waits answers for.
const (
	reqHEAD    = 1
	reqCONNECT = 2
	maxPending = 32 // two bits each in a uint64
)

// credMax is the size of the buffer Basic credentials are decoded into.
const credMax = 256

// A Decoder decodes one direction of an HTTP/1.x stream incrementally: hand
// it bytes with [Decoder.Feed] and take messages with [Decoder.Next] until
// it returns [ErrNeedMore]. Chunks may be cut anywhere; the messages are the
// same however the stream is cut. The zero value is ready to use with the
// default limits.
//
// A Decoder reads requests or responses, whichever the stream holds. The
// decoder of the responses must be told of each request with
// [Decoder.Request], so that it knows the responses to HEAD and CONNECT.
//
// A message is returned once its head and the first bytes of its body are
// seen: 132 bytes (the preamble and magic of a DICOM file), MaxBodyPrefix for
// a multipart body, or the whole body when it is shorter. The decoder holds
// at most MaxHead bytes of head and MaxBodyPrefix bytes of body.
type Decoder struct {
	// MaxHead limits one head; a longer one is reported with
	// [ErrHeadTooLong] and skipped. 0 (or less) means [DefaultMaxHead].
	MaxHead int
	// MaxHeaders limits the header lines of one head; more are reported
	// with [ErrTooManyHeaders]. 0 (or less) means [DefaultMaxHeaders].
	MaxHeaders int
	// MaxPath limits Message.Target. 0 (or less) means [DefaultMaxPath].
	MaxPath int
	// MaxBodyPrefix limits the bytes kept of a multipart body to look
	// past its first part's headers. 0 (or less) means
	// [DefaultMaxBodyPrefix].
	MaxBodyPrefix int
	// IsDefault, when set, is called with the user name and password of
	// an "Authorization: Basic" header and says whether they are a known
	// default credential (Message.DefaultCredential). The password is
	// valid only during the call and erased after it; IsDefault must not
	// keep it.
	IsDefault func(user, password []byte) bool

	inited                                  bool
	maxHead, maxHeaders, maxPath, maxPrefix int

	st  state
	in  []byte
	off int64 // stream offset of in[0]

	head      []byte
	headOff   int64
	lineOK    bool // the head's first line was read and is valid
	scan      int  // where to go on looking for the end of the head
	silent    bool // resynchronising: lines that start no message are dropped without an error
	lineStart bool // in stResync: in[0] starts a line
	reset     bool // head and prefix belong to a returned message

	msg        Message
	collecting bool // msg waits for its body's first bytes
	want       int
	prefix     []byte
	boundary   []byte // of a multipart body, a view into head
	pendErr    error  // reported after msg

	remain  int64 // bytes left in a Content-Length body or a chunk
	digits  int   // hex digits of the chunk size read
	lineLen int   // bytes of the current chunk extension or trailer line
	trailer int   // bytes of the trailer section
	chunkCR bool  // the CR after chunk data was read

	pending  uint64 // two flag bits per request awaiting a response, oldest lowest
	npending int

	cred     [credMax]byte
	flushing bool
}

// Reset makes the decoder ready for a new stream, keeping its limits, its
// IsDefault function and its buffers.
func (d *Decoder) Reset() {
	*d = Decoder{MaxHead: d.MaxHead, MaxHeaders: d.MaxHeaders, MaxPath: d.MaxPath, MaxBodyPrefix: d.MaxBodyPrefix,
		IsDefault: d.IsDefault, head: d.head[:0], prefix: d.prefix[:0], inited: true}
	d.limits()
}

func (d *Decoder) limits() {
	d.maxHead, d.maxHeaders, d.maxPath, d.maxPrefix = d.MaxHead, d.MaxHeaders, d.MaxPath, d.MaxBodyPrefix
	if d.maxHead <= 0 {
		d.maxHead = DefaultMaxHead
	}
	if d.maxHeaders <= 0 {
		d.maxHeaders = DefaultMaxHeaders
	}
	if d.maxPath <= 0 {
		d.maxPath = DefaultMaxPath
	}
	if d.maxPrefix <= 0 {
		d.maxPrefix = DefaultMaxBodyPrefix
	}
}

// Feed gives the decoder the next bytes of the stream. Call Next until it
// returns [ErrNeedMore] before feeding more: Feed replaces what is left of
// the previous chunk. The decoder copies what it keeps and holds no
// reference to p once Next has returned ErrNeedMore. The limits are read
// here.
func (d *Decoder) Feed(p []byte) {
	if !d.inited {
		d.Reset()
	}
	d.limits()
	d.in = p
}

// Request tells the decoder of a stream's responses that a request with
// this method was sent, so that it knows which responses have no body (those
// to HEAD) and which open a tunnel (a 2xx response to CONNECT). Up to 32
// requests are remembered; older ones are forgotten.
func (d *Decoder) Request(method []byte) {
	if !d.inited {
		d.Reset()
	}
	var f uint64
	switch string(method) {
	case "HEAD":
		f = reqHEAD
	case "CONNECT":
		f = reqCONNECT
	}
	if d.npending == maxPending {
		d.pending >>= 2
		d.npending--
	}
	d.pending |= f << (2 * d.npending)
	d.npending++
}

func (d *Decoder) popRequest() uint64 {
	if d.npending == 0 {
		return 0
	}
	f := d.pending & 3
	d.pending >>= 2
	d.npending--
	return f
}

// Tunnel tells the decoder that the rest of its stream is not HTTP (the
// other direction's decoder returned a Message with Tunnel set): it is
// skipped.
func (d *Decoder) Tunnel() {
	if !d.inited {
		d.Reset()
	}
	d.finishPrefix()
	d.st = stTunnel
}

// Gap tells the decoder that n bytes of the stream (n < 0: an unknown
// number) were lost before the next Feed. A gap inside a body of known
// length is skipped with it and decoding goes on; otherwise the message
// being read is dropped (one whose head was complete is still returned)
// and the decoder resynchronises at the next line that starts a message.
func (d *Decoder) Gap(n int) {
	if !d.inited {
		d.Reset()
	}
	if n > 0 {
		d.off += int64(n)
	}
	d.in = nil
	switch d.st {
	case stBody, stChunkData:
		if n >= 0 && int64(n) <= d.remain {
			d.finishPrefix()
			d.remain -= int64(n)
			return
		}
	case stUntilClose, stTunnel:
		d.finishPrefix()
		return
	}
	d.finishPrefix()
	if !d.collecting {
		d.head = d.head[:0]
	}
	d.st, d.lineStart, d.silent = stResync, true, true
}

// Flush tells the decoder that the stream has ended: once the input given
// to Feed is consumed, Next returns a message still waiting for the first
// bytes of its body, then reports a head cut short ([ErrIncomplete]), then
// returns [ErrNeedMore]. Call Reset before decoding another stream.
func (d *Decoder) Flush() {
	if !d.inited {
		d.Reset()
	}
	d.flushing = true
}

// Buffered returns the bytes of memory the decoder holds: its head and
// body prefix buffers.
func (d *Decoder) Buffered() int { return cap(d.head) + cap(d.prefix) }

func (d *Decoder) consume(n int) {
	d.in = d.in[n:]
	d.off += int64(n)
}

// finishPrefix stops collecting body bytes: the waiting message is returned
// with what it has.
func (d *Decoder) finishPrefix() {
	if d.collecting {
		d.want = len(d.prefix)
	}
}

// fail reports err at off and resynchronises.
func (d *Decoder) fail(off int64, sentinel error, lineStart bool) error {
	d.finishPrefix()
	if !d.collecting {
		d.head = d.head[:0]
	}
	d.st, d.lineStart, d.silent = stResync, lineStart, true
	err := &Error{Offset: off, Err: sentinel}
	if d.collecting {
		d.pendErr = err // after the message it belongs to
		return nil
	}
	return err
}

// Next returns the next message, or [ErrNeedMore] when the input is
// consumed. Other errors are not sticky: each describes, once, malformed
// input that was skipped, and the next call goes on. Views in the message
// are valid until the next call to Next, Feed, Gap or Reset.
func (d *Decoder) Next() (Message, error) {
	if !d.inited {
		d.Reset()
	}
	if d.reset {
		d.reset = false
		d.head, d.prefix, d.boundary = d.head[:0], d.prefix[:0], nil
		d.msg = Message{}
	}
	for {
		if d.collecting && len(d.prefix) >= d.want {
			return d.emit(), nil
		}
		if d.pendErr != nil {
			err := d.pendErr
			d.pendErr = nil
			return Message{}, err
		}
		if len(d.in) == 0 {
			if d.flushing {
				return d.flushEnd()
			}
			return Message{}, ErrNeedMore
		}
		switch d.st {
		case stHead:
			if m, err, ok := d.readHead(); ok {
				return m, err
			}
		case stResync:
			d.resync()
		case stBody, stChunkData:
			n := int64(len(d.in))
			if n > d.remain {
				n = d.remain
			}
			d.body(d.in[:n])
			d.consume(int(n))
			d.remain -= n
			if d.remain == 0 {
				if d.st == stBody {
					d.endBody()
				} else {
					d.st, d.chunkCR = stChunkEnd, false
				}
			}
		case stChunkSize, stChunkExt, stChunkEnd, stTrailer:
			if err := d.chunked(); err != nil {
				return Message{}, err
			}
		case stUntilClose:
			d.body(d.in)
			d.consume(len(d.in))
		case stTunnel:
			d.consume(len(d.in))
		}
	}
}

// flushEnd reports what is left at the end of the stream, one call at a
// time, then ErrNeedMore.
func (d *Decoder) flushEnd() (Message, error) {
	if d.collecting {
		return d.emit(), nil
	}
	if d.st == stHead && d.lineOK && len(d.head) > 0 {
		off := d.headOff
		d.head, d.lineOK = d.head[:0], false
		return Message{}, &Error{Offset: off, Err: ErrIncomplete}
	}
	d.flushing = false
	return Message{}, ErrNeedMore
}

// emit returns the message that was waiting for its body's first bytes.
func (d *Decoder) emit() Message {
	d.collecting = false
	d.reset = true
	m := d.msg
	m.BodyPrefix = d.prefix
	if len(d.boundary) > 0 {
		m.BodyMagic, m.PreambleExecutable = SniffMultipart(d.prefix, d.boundary)
	} else {
		m.BodyMagic, m.PreambleExecutable = SniffBody(d.prefix)
	}
	return m
}

// body keeps the first bytes of a body.
func (d *Decoder) body(b []byte) {
	if d.collecting && len(d.prefix) < d.want {
		d.prefix = append(d.prefix, b[:min(len(b), d.want-len(d.prefix))]...)
	}
}

func (d *Decoder) endBody() {
	d.finishPrefix()
	d.st = stHead
}

// resync skips to a line that may start a message.
func (d *Decoder) resync() {
	for len(d.in) > 0 {
		if d.lineStart {
			if maybeStart(d.in) {
				d.st = stHead
				if !d.collecting {
					d.head = d.head[:0]
				}
				return
			}
			d.lineStart = false
		}
		i := bytes.IndexByte(d.in, '\n')
		if i < 0 {
			d.consume(len(d.in))
			return
		}
		d.consume(i + 1)
		d.lineStart = true
	}
}

// maybeStart reports whether b may begin a request or status line: "HTTP/1."
// or a method name (a token that starts with a letter, as parseStartLine
// takes it) followed by a space,
// or a prefix of either.
func maybeStart(b []byte) bool {
	const v = "HTTP/1."
	if n := min(len(b), len(v)); string(b[:n]) == v[:n] {
		return true
	}
	for i, c := range b {
		if c == ' ' {
			return i > 0
		}
		if !isTchar(c) || i >= 32 || (i == 0 && !isLetter(c)) {
			return false
		}
	}
	return true
}

// readHead reads the head; ok says a message or an error is returned.
func (d *Decoder) readHead() (m Message, err error, ok bool) {
	if d.collecting {
		// The head of the next message may not overwrite the one waiting
		// to be returned; the loop returns it first.
		return Message{}, nil, false
	}
	if len(d.head) == 0 {
		i := 0
		for i < len(d.in) && (d.in[i] == '\r' || d.in[i] == '\n') {
			i++
		}
		d.consume(i)
		if len(d.in) == 0 {
			return Message{}, nil, false
		}
		d.headOff, d.lineOK, d.scan = d.off, false, 0
	}
	if !d.lineOK {
		nl := bytes.IndexByte(d.in, '\n')
		n := len(d.in)
		if nl >= 0 {
			n = nl + 1
		}
		if len(d.head)+n > d.maxHead {
			silent := d.silent
			d.consume(n)
			err := d.fail(d.headOff, ErrHeadTooLong, nl >= 0)
			if silent || err == nil {
				return Message{}, nil, false
			}
			return Message{}, err, true
		}
		d.head = append(d.head, d.in[:n]...)
		d.consume(n)
		if nl < 0 {
			return Message{}, nil, false
		}
		if _, ok := parseStartLine(d.head); !ok {
			silent := d.silent
			err := d.fail(d.headOff, ErrStartLine, true)
			if silent || err == nil {
				return Message{}, nil, false
			}
			return Message{}, err, true
		}
		d.lineOK = true
		d.scan = len(d.head) - 1
	}
	start := len(d.head)
	n := min(len(d.in), d.maxHead-start)
	d.head = append(d.head, d.in[:n]...)
	end, scan := headEnd(d.head, d.scan)
	if end < 0 {
		d.scan = scan
		d.consume(n)
		if len(d.head) >= d.maxHead {
			if err := d.fail(d.headOff, ErrHeadTooLong, false); err != nil {
				return Message{}, err, true
			}
		}
		return Message{}, nil, false
	}
	d.consume(end - start)
	d.head = d.head[:end]
	d.lineOK = false
	return d.parseHead()
}

// headEnd returns the length of the head at the start of b (through the
// empty line), or -1 and where to go on looking once more bytes are there.
func headEnd(b []byte, from int) (end, scan int) {
	i := from
	for {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1, len(b)
		}
		j += i
		if j+1 >= len(b) {
			return -1, j
		}
		switch b[j+1] {
		case '\n':
			return j + 2, 0
		case '\r':
			if j+2 >= len(b) {
				return -1, j
			}
			if b[j+2] == '\n' {
				return j + 3, 0
			}
		}
		i = j + 1
	}
}

// startLine is a parsed request or status line.
type startLine struct {
	kind                    Kind
	method, target, version []byte
	status                  int
	reason                  []byte
}

// parseStartLine parses the first line of head.
func parseStartLine(head []byte) (s startLine, ok bool) {
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = trimCR(line)
	if hasPrefix(line, "HTTP/") {
		// HTTP/1.x SP 3DIGIT [SP reason]
		if len(line) < 12 || line[5] != '1' || line[6] != '.' || !isDigit(line[7]) || line[8] != ' ' ||
			!isDigit(line[9]) || !isDigit(line[10]) || !isDigit(line[11]) || (len(line) > 12 && line[12] != ' ') {
			return s, false
		}
		s.kind, s.version = KindResponse, line[5:8]
		s.status = int(line[9]-'0')*100 + int(line[10]-'0')*10 + int(line[11]-'0')
		if len(line) > 13 {
			s.reason = line[13:]
		}
		return s, true
	}
	// method SP target SP HTTP/1.x
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 || sp > 32 || !isLetter(line[0]) {
		return s, false
	}
	for _, c := range line[:sp] {
		if !isTchar(c) {
			return s, false
		}
	}
	rest := line[sp+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 <= 0 {
		return s, false
	}
	target, ver := rest[:sp2], rest[sp2+1:]
	for _, c := range target {
		if c <= ' ' || c == 0x7f {
			return s, false
		}
	}
	if len(ver) != 8 || !hasPrefix(ver, "HTTP/1.") || !isDigit(ver[7]) {
		return s, false
	}
	s.kind, s.method, s.target, s.version = KindRequest, line[:sp], target, ver[5:]
	return s, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// tchar is the set of token characters of RFC 9110.
var tchar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

func isTchar(c byte) bool { return tchar[c] }

// equalFold reports whether b equals the lower-case ASCII s, ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// parseHead parses the complete head in d.head and decides how the body is
// framed.
func (d *Decoder) parseHead() (Message, error, bool) {
	off := d.headOff
	s, _ := parseStartLine(d.head)
	m := Message{Kind: s.kind, Offset: off, Method: s.method, Version: s.version, Status: s.status,
		Reason: s.reason, ContentLength: -1, Head: d.head}
	m.Target = s.target
	if len(m.Target) > d.maxPath {
		i := d.maxPath
		for i > 0 && m.Target[i]&0xc0 == 0x80 {
			i--
		}
		m.Target, m.TargetTruncated = m.Target[:i], true
	}
	var te []byte
	hasTE := false
	d.boundary = nil
	rest := d.head[bytes.IndexByte(d.head, '\n')+1:]
	pos := len(d.head) - len(rest)
	count := 0
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		line := trimCR(rest[:i])
		lineOff := off + int64(pos)
		rest = rest[i+1:]
		pos += i + 1
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // obsolete line folding: a continuation of the previous value
		}
		if count++; count > d.maxHeaders {
			return Message{}, d.fail(off, ErrTooManyHeaders, true), true
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 {
			return Message{}, d.fail(lineOff, ErrHeader, true), true
		}
		name, value := line[:c], trimOWS(line[c+1:])
		for _, ch := range name {
			if !isTchar(ch) {
				return Message{}, d.fail(lineOff, ErrHeader, true), true
			}
		}
		switch len(name) {
		case 4:
			if equalFold(name, "host") && m.Host == nil {
				m.Host = value
			}
		case 6:
			if equalFold(name, "server") && m.Server == nil {
				m.Server = value
			}
		case 10:
			if equalFold(name, "user-agent") && m.UserAgent == nil {
				m.UserAgent = value
			}
		case 12:
			if equalFold(name, "content-type") && m.ContentType == nil {
				m.ContentType = value
				d.boundary = multipartBoundary(value)
			}
		case 13:
			if equalFold(name, "authorization") && !m.BasicAuth {
				d.basic(&m, value)
			}
		case 14:
			if equalFold(name, "content-length") {
				n, ok := parseLength(value)
				if !ok || (m.ContentLength >= 0 && n != m.ContentLength) {
					return Message{}, d.fail(lineOff, ErrContentLength, true), true
				}
				m.ContentLength = n
			}
		case 17:
			if equalFold(name, "transfer-encoding") {
				hasTE, te = true, value
			}
		}
	}
	if hasTE {
		m.Chunked = lastCodingChunked(te)
	}
	// Framing (RFC 9112, section 6).
	d.silent = false
	switch {
	case m.Kind == KindRequest:
		switch {
		case m.Chunked:
			d.startChunked()
		case hasTE:
			return Message{}, d.fail(off, ErrTransferEncoding, true), true
		case m.ContentLength > 0:
			d.st, d.remain = stBody, m.ContentLength
		}
		m.Body = m.Chunked || m.ContentLength >= 0
		if string(m.Method) == "CONNECT" {
			// The client may start its tunnel at once: what follows is
			// read as requests, without errors, until the other
			// direction says the tunnel is open.
			d.silent = true
		}
	case m.Status == 101:
		d.popRequest()
		m.Tunnel = true
		d.st = stTunnel
	case m.Status < 200:
		// An interim response: the final one is still to come.
	default:
		req := d.popRequest()
		switch {
		case req&reqCONNECT != 0 && m.Status < 300:
			m.Tunnel = true
			d.st = stTunnel
		case req&reqHEAD != 0, m.Status == 204, m.Status == 304:
		case m.Chunked:
			d.startChunked()
			m.Body = true
		case hasTE:
			d.st = stUntilClose
			m.Body = true
		case m.ContentLength >= 0:
			if m.ContentLength > 0 {
				d.st, d.remain = stBody, m.ContentLength
			}
			m.Body = true
		default:
			d.st = stUntilClose
			m.Body = true
		}
	}
	if d.st == stHead || d.st == stTunnel {
		// No body bytes to wait for.
		d.reset = true
		return m, nil, true
	}
	d.msg = m
	d.collecting = true
	d.prefix = d.prefix[:0]
	d.want = min(dicomPrefix, d.maxPrefix)
	if len(d.boundary) > 0 {
		d.want = d.maxPrefix
	}
	if m.ContentLength >= 0 && !m.Chunked && int64(d.want) > m.ContentLength {
		d.want = int(m.ContentLength)
	}
	return Message{}, nil, false
}

func (d *Decoder) startChunked() {
	d.st, d.remain, d.digits = stChunkSize, 0, 0
}

// parseLength parses a Content-Length value: decimal digits, at most 18.
func parseLength(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// lastCodingChunked reports whether the last transfer coding of a
// Transfer-Encoding value is chunked.
func lastCodingChunked(te []byte) bool {
	if i := bytes.LastIndexByte(te, ','); i >= 0 {
		te = te[i+1:]
	}
	te = trimOWS(te)
	if i := bytes.IndexByte(te, ';'); i >= 0 {
		te = trimOWS(te[:i])
	}
	return equalFold(te, "chunked")
}

// multipartBoundary returns the boundary parameter of a multipart media
// type, or nil.
func multipartBoundary(ct []byte) []byte {
	if len(ct) < 10 || !equalFold(ct[:10], "multipart/") {
		return nil
	}
	for {
		i := bytes.IndexByte(ct, ';')
		if i < 0 {
			return nil
		}
		ct = trimOWS(ct[i+1:])
		if len(ct) > 9 && equalFold(ct[:9], "boundary=") {
			v := ct[9:]
			if len(v) > 0 && v[0] == '"' {
				if j := bytes.IndexByte(v[1:], '"'); j >= 0 {
					return v[1 : 1+j]
				}
				return nil
			}
			if j := bytes.IndexAny(v, "; \t"); j >= 0 {
				v = v[:j]
			}
			if len(v) == 0 {
				return nil
			}
			return v
		}
	}
}

// basic reads the credentials of an Authorization header into m: the user
// name is kept, the password compared through IsDefault and erased, and
// the encoded credentials in the head are masked.
func (d *Decoder) basic(m *Message, value []byte) {
	if len(value) < 6 || !equalFold(value[:6], "basic ") {
		return
	}
	tok := trimOWS(value[6:])
	enc := base64.StdEncoding
	if len(tok)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	n, truncated := len(tok), false
	if enc.DecodedLen(n) > credMax {
		n, truncated = credMax/3*4, true
	}
	k, err := enc.Decode(d.cred[:], tok[:n])
	cred := d.cred[:k]
	user, colon := cred, bytes.IndexByte(cred, ':')
	if colon >= 0 {
		user = cred[:colon]
	}
	m.BasicAuth, m.BasicUser = true, user
	if colon >= 0 && !truncated && err == nil && d.IsDefault != nil {
		m.DefaultCredential = d.IsDefault(user, cred[colon+1:])
	}
	clear(d.cred[len(user):])
	for i := range tok {
		tok[i] = '*'
	}
}

// chunked reads the chunk size lines, chunk ends and trailers of a chunked
// body.
func (d *Decoder) chunked() error {
	for len(d.in) > 0 {
		c := d.in[0]
		switch d.st {
		case stChunkSize:
			switch {
			case isHex(c):
				if d.digits++; d.digits > 15 {
					return d.fail(d.off, ErrChunk, false)
				}
				d.remain = d.remain<<4 | int64(unhex(c))
			case d.digits > 0 && (c == ';' || c == ' ' || c == '\t' || c == '\r'):
				d.st, d.lineLen = stChunkExt, 0
			case d.digits > 0 && c == '\n':
				d.consume(1)
				d.chunkLine()
				return nil
			default:
				return d.fail(d.off, ErrChunk, false)
			}
			d.consume(1)
		case stChunkExt:
			i := bytes.IndexByte(d.in, '\n')
			if i < 0 {
				d.lineLen += len(d.in)
				d.consume(len(d.in))
				if d.lineLen > d.maxHead {
					return d.fail(d.off, ErrChunk, false)
				}
				return nil
			}
			d.consume(i + 1)
			d.chunkLine()
			return nil
		case stChunkEnd:
			switch {
			case c == '\r' && !d.chunkCR:
				d.chunkCR = true
				d.consume(1)
			case c == '\n':
				d.consume(1)
				d.startChunked()
				return nil
			default:
				return d.fail(d.off, ErrChunk, false)
			}
		case stTrailer:
			d.consume(1)
			switch c {
			case '\n':
				if d.lineLen == 0 {
					d.endBody()
					return nil
				}
				d.lineLen = 0
			case '\r':
			default:
				d.lineLen++
				if d.trailer++; d.trailer > d.maxHead {
					return d.fail(d.off, ErrChunk, false)
				}
			}
		default:
			return nil
		}
	}
	return nil
}

// chunkLine starts the data of the chunk whose size line was read, or the
// trailer section after the last chunk.
func (d *Decoder) chunkLine() {
	d.digits = 0
	if d.remain == 0 {
		d.st, d.lineLen, d.trailer = stTrailer, 0, 0
		return
	}
	d.st = stChunkData
}

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

func unhex(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}
