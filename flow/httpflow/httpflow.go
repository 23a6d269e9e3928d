// Package httpflow is the flow adapter for HTTP/1.x: importing it registers
// protocol "http" with package flow. Heads are decoded with netproto/http
// (bounded; bodies are skipped by their framing, only their first bytes are
// looked at); web servers, DICOMweb and REST interfaces of PACS (Orthanc on
// 8042) and the web consoles of devices are found by content on any port,
// and on the usual ports when a flow's start was not captured.
//
// An "Authorization: Basic" header gives a [loginflow.KindLogin] event with
// the user name, whether the server accepted it (its status) and whether the
// pair is a vendor default (netproto/defcred); the password never leaves the
// decoder.
package httpflow

import (
	"sync"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/netproto/defcred"
	"github.com/medtap/medtap/netproto/http"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "http"

// The kinds of event the adapter emits, with their Detail.
const (
	KindRequest  flow.Kind = "request"  // a request head: [*Message]
	KindResponse flow.Kind = "response" // a response head: [*Message]
	// A Basic login is reported as [loginflow.KindLogin] with a
	// [*loginflow.Login] once its response is seen (or the flow ends);
	// malformed heads as [flow.KindError].
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.TCP,
		// HTTP, and the ports of web consoles, application servers and
		// Orthanc's REST API (8042), when content does not decide.
		Ports: []uint16{80, 591, 8000, 8008, 8042, 8080, 8081, 8088, 8888},
		Match: http.Sniff,
		New:   func() flow.Decoder { return new(decoder) },
	})
}

// Message is the Detail of "request" and "response" events. Its views are
// valid only during the event.
type Message struct {
	Msg http.Message
}

// AppendJSON implements [flow.Detail]. A request has method, host, path
// (path_truncated when cut), user_agent, content_type, content_length and
// basic_auth_user; a response status, server, content_type and
// content_length; both body_magic and preamble_executable when the body
// starts with something known.
func (m *Message) AppendJSON(dst []byte) []byte {
	h := &m.Msg
	if h.Kind == http.KindRequest {
		dst = flow.AppendBytes(dst, "method", h.Method)
		dst = flow.AppendNonEmpty(dst, "host", h.Host)
		dst = flow.AppendBytes(dst, "path", h.Target)
		if h.TargetTruncated {
			dst = flow.AppendBool(dst, "path_truncated", true)
		}
		dst = flow.AppendNonEmpty(dst, "user_agent", h.UserAgent)
	} else {
		dst = flow.AppendInt(dst, "status", int64(h.Status))
		dst = flow.AppendNonEmpty(dst, "server", h.Server)
	}
	dst = flow.AppendNonEmpty(dst, "content_type", h.ContentType)
	if h.ContentLength >= 0 {
		dst = flow.AppendInt(dst, "content_length", h.ContentLength)
	}
	if h.BasicAuth {
		dst = flow.AppendBytes(dst, "basic_auth_user", h.BasicUser)
	}
	if h.BodyMagic != http.MagicNone {
		dst = flow.AppendString(dst, "body_magic", h.BodyMagic.String())
		if h.PreambleExecutable {
			dst = flow.AppendBool(dst, "preamble_executable", true)
		}
	}
	return dst
}

// Identify implements [flow.Identifier]: the User-Agent of a request names
// the client's software, the Server header of a response the server's, both
// as "vendor".
func (m *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	name := m.Msg.UserAgent
	if m.Msg.Kind == http.KindResponse {
		name = m.Msg.Server
	}
	if len(name) > 0 {
		yield(flow.Identity{Source: true, Kind: "vendor", Name: name})
	}
}

// maxLogins is how many Basic logins wait for their responses at once; an
// older one is reported without an outcome.
const maxLogins = 2

type pendingLogin struct {
	req  uint64   // number of the request in the flow
	dir  flow.Dir // of the request: the login's source is its sender
	user loginflow.User
	def  bool
}

// pool recycles decoders, and the head buffers they grew, from ended flows.
var pool = sync.Pool{New: func() any { return new(decoder) }}

// decoder runs one http.Decoder per direction. Requests are numbered in
// order, and final responses answer them in the same order, which pairs a
// Basic login with its status.
type decoder struct {
	dec          [2]http.Decoder
	msg          Message
	login        loginflow.Login
	logins       [maxLogins]pendingLogin
	nlogins      int
	reqs, finals uint64 // requests seen, final responses seen
}

func (a *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &a.dec[dir&1]
	if d.IsDefault == nil {
		d.IsDefault = defcred.IsDefault
	}
	d.MaxHead = 0 // the default, unless the engine's message limit is lower
	if m := c.MaxMessageBytes(); m > 0 && m < http.DefaultMaxHead {
		d.MaxHead = m
	}
	d.Feed(data)
	a.drain(c, dir)
}

func (a *decoder) drain(c *flow.Context, dir flow.Dir) {
	d := &a.dec[dir&1]
	for {
		m, err := d.Next()
		if err == http.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
			continue
		}
		a.message(c, dir, &m)
	}
}

func (a *decoder) message(c *flow.Context, dir flow.Dir, m *http.Message) {
	a.msg.Msg = *m
	if m.Kind == http.KindRequest {
		c.Emit(dir, KindRequest, &a.msg)
		a.dec[1-dir&1].Request(m.Method)
		if m.BasicAuth {
			a.pushLogin(c, dir, m)
		}
		a.reqs++
	} else {
		c.Emit(dir, KindResponse, &a.msg)
		if m.Status >= 200 || m.Status == 101 {
			a.answer(c, a.finals, m.Status)
			a.finals++
		}
		if m.Tunnel {
			a.dec[1-dir&1].Tunnel()
		}
	}
	a.msg = Message{}
}

func (a *decoder) pushLogin(c *flow.Context, dir flow.Dir, m *http.Message) {
	if a.nlogins == maxLogins {
		a.emitLogin(c, 0, loginflow.Unknown)
	}
	p := &a.logins[a.nlogins]
	p.req, p.dir, p.def = a.reqs, dir, m.DefaultCredential
	p.user.Set(m.BasicUser)
	a.nlogins++
}

// answer reports the logins of the requests up to number req, the one the
// response with this status answers.
func (a *decoder) answer(c *flow.Context, req uint64, status int) {
	for a.nlogins > 0 && a.logins[0].req <= req {
		o := loginflow.Unknown
		if a.logins[0].req == req {
			o = loginflow.Success
			if status == 401 || status == 403 || status == 407 {
				o = loginflow.Failure
			}
		}
		a.emitLogin(c, 0, o)
	}
}

// emitLogin reports the i-th pending login and removes it.
func (a *decoder) emitLogin(c *flow.Context, i int, o loginflow.Outcome) {
	p := &a.logins[i]
	a.login = loginflow.Login{Protocol: Name, User: p.user.Bytes(), Outcome: o, DefaultCredential: p.def}
	c.Emit(p.dir, loginflow.KindLogin, &a.login)
	a.login = loginflow.Login{}
	copy(a.logins[i:], a.logins[i+1:a.nlogins])
	a.nlogins--
}

func (a *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {
	a.dec[dir&1].Gap(n)
	a.drain(c, dir)
}

func (a *decoder) Close(c *flow.Context) {
	for dir := flow.ClientToServer; dir <= flow.ServerToClient; dir++ {
		a.dec[dir].Flush()
		a.drain(c, dir)
	}
	for a.nlogins > 0 {
		a.emitLogin(c, 0, loginflow.Unknown)
	}
	a.dec[0].Reset()
	a.dec[1].Reset()
	a.reqs, a.finals = 0, 0
	pool.Put(a)
}

// Buffered implements [flow.BufferedDecoder].
func (a *decoder) Buffered() int { return a.dec[0].Buffered() + a.dec[1].Buffered() }
