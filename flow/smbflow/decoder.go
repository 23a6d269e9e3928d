package smbflow

import (
	"errors"
	"sync"

	"github.com/medtap/medtap/flow"

	"github.com/medtap/medtap/netproto/ntlmssp"
	"github.com/medtap/medtap/netproto/smb"
)

// pool recycles decoders (and their grown buffers) from ended flows, so
// that following a new connection allocates nothing in steady state.
var pool = sync.Pool{New: func() any { return new(decoder) }}

func newDecoder() flow.Decoder { return pool.Get().(*decoder) }

// decoder follows one connection: an smb.Decoder per direction, the
// NEGOTIATE request waiting for its response, and what an NTLM exchange
// carries from one message to the next. The Details are reused.
type decoder struct {
	dec [2]smb.Decoder

	// The NEGOTIATE being reported: the request's part is kept until the
	// response comes. Its names are in nbuf between the offsets of spans.
	pending  bool
	negDir   flow.Dir
	neg      Negotiate
	nbuf     []byte
	spans    [maxDialects + 1]int // dialect i is nbuf[spans[i]:spans[i+1]]
	nDialect int
	netname  [2]int // span of the NETNAME context
	contexts [16]smb.ContextType
	views    [maxDialects][]byte

	// The session request of port 139, reported with the first NEGOTIATE.
	haveNetBIOS     bool
	called, calling smb.NetBIOSName

	plaintext     bool            // an SMB1 server said it takes passwords in clear
	clientVersion ntlmssp.Version // from the client's NTLMSSP NEGOTIATE

	chal Challenge
	auth Auth
	sbuf []byte // names of the challenge or auth being reported
}

func (a *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &a.dec[dir&1]
	d.MaxMessage = c.MaxMessageBytes() // 0: smb's default
	d.Feed(data)
	a.drain(c, dir)
}

// drain handles every item (or error) the decoder of dir has.
func (a *decoder) drain(c *flow.Context, dir flow.Dir) {
	d := &a.dec[dir&1]
	for {
		it, err := d.Next()
		if err == smb.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
			continue
		}
		switch it.Kind {
		case smb.KindNetBIOS:
			if it.NetBIOS.Type == smb.NetBIOSRequest {
				a.called, a.calling, a.haveNetBIOS = it.NetBIOS.Called, it.NetBIOS.Calling, true
			}
		case smb.KindMessage:
			a.message(c, dir, &it.Message)
		}
	}
}

func (a *decoder) message(c *flow.Context, dir flow.Dir, m *smb.Message) {
	var err error
	switch {
	case m.Protocol == smb.SMB1 && m.Header1.Command == smb.ComNegotiate:
		if m.Response() {
			err = a.negotiateResponse1(c, dir, m)
		} else {
			err = a.negotiateRequest1(c, dir, m)
		}
	case m.Protocol == smb.SMB1 && m.Header1.Command == smb.ComSessionSetupAndX:
		if m.Response() {
			var r smb.SessionSetupResponse1
			if r, err = m.SessionSetupResponse1(); err == nil {
				a.blob(c, dir, m, r.SecurityBlob, r.NativeOS, r.NativeLanMan)
			}
		} else {
			err = a.sessionSetupRequest1(c, dir, m)
		}
	case m.Protocol == smb.SMB2 && m.Header2.Command == smb.Negotiate2:
		if m.Response() {
			err = a.negotiateResponse2(c, dir, m)
		} else {
			err = a.negotiateRequest2(c, dir, m)
		}
	case m.Protocol == smb.SMB2 && m.Header2.Command == smb.SessionSetup2:
		if m.Response() {
			var r smb.SessionSetupResponse2
			if r, err = m.SessionSetupResponse2(); err == nil {
				a.blob(c, dir, m, r.SecurityBuffer, smb.String{}, smb.String{})
			}
		} else {
			var r smb.SessionSetupRequest2
			if r, err = m.SessionSetupRequest2(); err == nil {
				a.blob(c, dir, m, r.SecurityBuffer, smb.String{}, smb.String{})
			}
		}
	}
	if err != nil {
		c.DecodeError(dir, err)
	}
}

// startNegotiate begins a NEGOTIATE report, emitting one still waiting for
// its response.
func (a *decoder) startNegotiate(c *flow.Context, dir flow.Dir) {
	a.flushNegotiate(c)
	a.pending, a.negDir = true, dir
	a.nbuf = a.nbuf[:0]
	a.nDialect = 0
	a.netname = [2]int{}
	a.neg = Negotiate{DialectIndex: -1}
}

// addDialect appends a dialect name written by add to the report.
func (a *decoder) addDialect(add func([]byte) []byte) {
	if a.nDialect == maxDialects {
		return
	}
	a.spans[a.nDialect] = len(a.nbuf)
	a.nbuf = add(a.nbuf)
	a.nDialect++
	a.spans[a.nDialect] = len(a.nbuf)
}

func (a *decoder) negotiateRequest1(c *flow.Context, dir flow.Dir, m *smb.Message) error {
	r, err := m.NegotiateRequest1()
	if err != nil {
		return err
	}
	a.startNegotiate(c, dir)
	it := r.Dialects()
	for it.Next() {
		v := it.Value()
		a.addDialect(func(b []byte) []byte { return append(b, v...) })
		if !isSMB2Dialect(v) {
			a.neg.SMB1 = true
		}
	}
	return it.Err()
}

// isSMB2Dialect reports whether an SMB1 dialect string names SMB2 ("SMB
// 2.002", "SMB 2.???").
func isSMB2Dialect(s []byte) bool { return len(s) >= 6 && string(s[:6]) == "SMB 2." }

func (a *decoder) negotiateRequest2(c *flow.Context, dir flow.Dir, m *smb.Message) error {
	r, err := m.NegotiateRequest2()
	if err != nil {
		return err
	}
	a.startNegotiate(c, dir)
	for i := range r.NumDialects() {
		a.addDialect(r.Dialect(i).AppendTo)
	}
	it := r.Contexts()
	n := 0
	for it.Next() {
		if n < len(a.contexts) {
			a.contexts[n] = it.Type()
			n++
		}
		if it.Type() == smb.ContextNetName {
			a.netname[0] = len(a.nbuf)
			a.nbuf = appendName(a.nbuf, smb.String{Raw: it.Data(), Unicode: true})
			a.netname[1] = len(a.nbuf)
		}
	}
	a.neg.Contexts = a.contexts[:n]
	return it.Err()
}

func (a *decoder) negotiateResponse1(c *flow.Context, dir flow.Dir, m *smb.Message) error {
	r, err := m.NegotiateResponse1()
	if err != nil {
		return err
	}
	if !a.pending {
		a.startNegotiate(c, dir)
	}
	n := &a.neg
	if r.DialectIndex != smb.NoDialect {
		n.DialectIndex = int(r.DialectIndex)
		n.SMB1, n.SMB1Chosen = true, true
	}
	n.ServerGUID = r.ServerGUID
	n.SecurityMode = uint16(r.SecurityMode)
	n.SigningRequired = r.SecurityMode&smb.Mode1SignaturesRequired != 0
	n.Capabilities = r.Capabilities
	a.plaintext = r.WordCount >= 13 && r.SecurityMode&smb.Mode1EncryptPasswords == 0
	s0 := len(a.nbuf)
	a.nbuf = appendName(a.nbuf, r.DomainName)
	s1 := len(a.nbuf)
	a.nbuf = appendName(a.nbuf, r.ServerName)
	n.NetBIOSDomain, n.NetBIOSComputer = a.nbuf[s0:s1], a.nbuf[s1:]
	a.emitNegotiate(c, dir, true)
	return nil
}

func (a *decoder) negotiateResponse2(c *flow.Context, dir flow.Dir, m *smb.Message) error {
	r, err := m.NegotiateResponse2()
	if err != nil {
		return err
	}
	if !a.pending {
		a.startNegotiate(c, dir)
	}
	n := &a.neg
	s0 := len(a.nbuf)
	a.nbuf = r.Dialect.AppendTo(a.nbuf)
	n.Dialect = a.nbuf[s0:]
	n.ServerGUID = r.ServerGUID
	n.SecurityMode = r.SecurityMode
	n.SigningRequired = r.SecurityMode&smb.Mode2SigningRequired != 0
	n.Capabilities = r.Capabilities
	a.emitNegotiate(c, dir, true)
	return nil
}

// flushNegotiate emits a NEGOTIATE request that got no response.
func (a *decoder) flushNegotiate(c *flow.Context) {
	if a.pending {
		a.emitNegotiate(c, a.negDir, false)
	}
}

// emitNegotiate emits the NEGOTIATE report in dir, with the response when
// responded.
func (a *decoder) emitNegotiate(c *flow.Context, dir flow.Dir, responded bool) {
	n := &a.neg
	n.Responded, n.fromServer = responded, responded
	for i := range a.nDialect {
		a.views[i] = a.nbuf[a.spans[i]:a.spans[i+1]]
	}
	n.Dialects = a.views[:a.nDialect]
	if responded && len(n.Dialect) == 0 && n.DialectIndex >= 0 && n.DialectIndex < a.nDialect {
		n.Dialect = n.Dialects[n.DialectIndex]
	}
	n.NetName = a.nbuf[a.netname[0]:a.netname[1]]
	if a.haveNetBIOS {
		s0 := len(a.nbuf)
		a.nbuf = a.called.AppendTo(a.nbuf)
		s1 := len(a.nbuf)
		a.nbuf = a.calling.AppendTo(a.nbuf)
		n.Called, n.Calling = a.nbuf[s0:s1], a.nbuf[s1:]
		a.haveNetBIOS = false
	}
	c.Emit(dir, KindNegotiate, n)
	a.neg = Negotiate{}
	a.pending = false
	clear(a.views[:a.nDialect])
}

// sessionSetupRequest1 reads an SMB1 session setup request: its blob with
// extended security, otherwise the names it carries in clear.
func (a *decoder) sessionSetupRequest1(c *flow.Context, dir flow.Dir, m *smb.Message) error {
	r, err := m.SessionSetupRequest1()
	if err != nil {
		return err
	}
	if r.WordCount == 12 {
		a.blob(c, dir, m, r.SecurityBlob, r.NativeOS, r.NativeLanMan)
		return nil
	}
	b := a.sbuf[:0]
	var s [5]int
	b = appendName(b, r.Account)
	s[0] = len(b)
	b = appendName(b, r.PrimaryDomain)
	s[1] = len(b)
	b = appendName(b, r.NativeOS)
	s[2] = len(b)
	b = appendName(b, r.NativeLanMan)
	s[3] = len(b)
	a.auth = Auth{User: b[:s[0]], Domain: b[s[0]:s[1]], NativeOS: b[s[1]:s[2]], NativeLanMan: b[s[2]:s[3]],
		Response: response1(&r, a.plaintext)}
	a.sbuf = b
	c.Emit(dir, KindNTLMAuth, &a.auth)
	a.auth = Auth{}
	return nil
}

// response1 names the kind of response of a session setup without
// extended security from the lengths of its password fields.
func response1(r *smb.SessionSetupRequest1, plaintext bool) string {
	switch {
	case r.Account.IsEmpty() && r.UnicodePasswordLength == 0 && r.PasswordLength <= 1:
		return ntlmssp.ResponseAnonymous.String()
	case plaintext:
		return "plaintext"
	case r.UnicodePasswordLength > 24:
		return ntlmssp.ResponseNTLMv2.String()
	case r.UnicodePasswordLength == 24:
		return ntlmssp.ResponseNTLMv1.String()
	case r.PasswordLength == 24:
		return ntlmssp.ResponseLM.String()
	}
	return ""
}

// offsetIn returns the offset of inner, a sub-slice, in outer.
func offsetIn(outer, inner []byte) int64 { return int64(cap(outer) - cap(inner)) }

// blob reads the NTLMSSP message of a security blob of m (SPNEGO or bare);
// nativeOS and nativeLanMan are those of an SMB1 session setup.
func (a *decoder) blob(c *flow.Context, dir flow.Dir, m *smb.Message, blob []byte, nativeOS, nativeLanMan smb.String) {
	if len(blob) == 0 {
		return
	}
	at := m.Offset + offsetIn(m.Data, blob)
	tok, err := ntlmssp.Unwrap(blob)
	if err != nil {
		if !errors.Is(err, ntlmssp.ErrNoNTLMSSP) { // Kerberos, or SPNEGO's hints: not for us
			c.DecodeErrorAt(dir, at+flow.ErrorOffset(err), err)
		}
		return
	}
	at += offsetIn(blob, tok)
	msg, err := ntlmssp.Parse(tok)
	if err != nil {
		c.DecodeErrorAt(dir, at+flow.ErrorOffset(err), err)
		return
	}
	switch msg.Type {
	case ntlmssp.TypeNegotiate:
		a.clientVersion = msg.Version
	case ntlmssp.TypeChallenge:
		t, err := msg.Target()
		if err != nil {
			c.DecodeErrorAt(dir, at+int64(offsetIn(tok, msg.TargetInfo))+flow.ErrorOffset(err), err)
		}
		a.challenge(c, dir, &msg, &t, nativeOS, nativeLanMan)
	case ntlmssp.TypeAuthenticate:
		a.authenticate(c, dir, &msg, nativeOS, nativeLanMan)
	}
}

// appendVersion appends a Version's OS name and version, returning the
// end of each.
func appendVersion(b []byte, v ntlmssp.Version) ([]byte, int, int) {
	if v.IsZero() {
		return b, len(b), len(b)
	}
	b = v.AppendOS(b)
	n := len(b)
	b = v.AppendTo(b)
	return b, n, len(b)
}

func (a *decoder) challenge(c *flow.Context, dir flow.Dir, msg *ntlmssp.Message, t *ntlmssp.Target, nativeOS, nativeLanMan smb.String) {
	b, os, ver := appendVersion(a.sbuf[:0], msg.Version)
	var s [8]int
	for i, name := range [...]ntlmssp.String{t.NetBIOSComputer, t.NetBIOSDomain, t.DNSComputer, t.DNSDomain, t.DNSTree, msg.TargetName} {
		b = appendNTLM(b, name)
		s[i] = len(b)
	}
	b = appendName(b, nativeOS)
	s[6] = len(b)
	b = appendName(b, nativeLanMan)
	s[7] = len(b)
	a.chal = Challenge{
		OS: b[:os], OSVersion: b[os:ver],
		NetBIOSComputer: b[ver:s[0]], NetBIOSDomain: b[s[0]:s[1]],
		DNSComputer: b[s[1]:s[2]], DNSDomain: b[s[2]:s[3]], DNSTree: b[s[3]:s[4]], TargetName: b[s[4]:s[5]],
		Timestamp: t.Time(),
		NativeOS:  b[s[5]:s[6]], NativeLanMan: b[s[6]:s[7]],
	}
	a.sbuf = b
	c.Emit(dir, KindNTLMChallenge, &a.chal)
	a.chal = Challenge{}
}

func (a *decoder) authenticate(c *flow.Context, dir flow.Dir, msg *ntlmssp.Message, nativeOS, nativeLanMan smb.String) {
	v := msg.Version
	if v.IsZero() {
		v = a.clientVersion
	}
	a.clientVersion = ntlmssp.Version{}
	b, os, ver := appendVersion(a.sbuf[:0], v)
	var s [5]int
	for i, name := range [...]ntlmssp.String{msg.User, msg.Domain, msg.Workstation} {
		b = appendNTLM(b, name)
		s[i] = len(b)
	}
	b = appendName(b, nativeOS)
	s[3] = len(b)
	b = appendName(b, nativeLanMan)
	s[4] = len(b)
	a.auth = Auth{
		OS: b[:os], OSVersion: b[os:ver],
		User: b[ver:s[0]], Domain: b[s[0]:s[1]], Workstation: b[s[1]:s[2]],
		Response: msg.Response.String(),
		NativeOS: b[s[2]:s[3]], NativeLanMan: b[s[3]:s[4]],
	}
	a.sbuf = b
	c.Emit(dir, KindNTLMAuth, &a.auth)
	a.auth = Auth{}
}

func (a *decoder) Gap(c *flow.Context, dir flow.Dir, n int) { a.dec[dir&1].Gap(n) }

// Close reports a NEGOTIATE left without a response and frames cut short
// by the end of the flow, and recycles the decoder.
func (a *decoder) Close(c *flow.Context) {
	for dir := flow.ClientToServer; dir <= flow.ServerToClient; dir++ {
		a.dec[dir].Flush()
		a.drain(c, dir)
	}
	a.flushNegotiate(c)
	a.dec[0].Reset()
	a.dec[1].Reset()
	*a = decoder{dec: a.dec, nbuf: a.nbuf[:0], sbuf: a.sbuf[:0]}
	pool.Put(a)
}

// Buffered implements [flow.BufferedDecoder].
func (a *decoder) Buffered() int { return a.dec[0].Buffered() + a.dec[1].Buffered() }
