// Package mailflow is the flow adapter for the clear-text mail retrieval
// protocols: importing it registers protocols "pop3" (port 110, or a "+OK"
// greeting) and "imap" (port 143, or an IMAP greeting) with package flow.
// Each login (POP3 USER and PASS, IMAP LOGIN) is reported as a
// [loginflow.KindLogin] event once the server answers it (+OK or -ERR; OK,
// NO or BAD), with the user name and whether the pair is a vendor default;
// passwords are compared inside the decoder (netproto/mail) and never reach
// an event.
package mailflow

import (
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/netproto/defcred"
	"github.com/medtap/medtap/netproto/mail"
)

// The protocols' names in events and [flow.Config.Protocols].
const (
	NamePOP3 = "pop3"
	NameIMAP = "imap"
)

// The adapter emits [loginflow.KindLogin] events with a [*loginflow.Login];
// lines over the limit are reported as [flow.KindError].

func init() {
	flow.Register(flow.Protocol{Name: NamePOP3, Transport: flow.TCP, Ports: []uint16{110}, Match: mail.SniffPOP3,
		New: func() flow.Decoder { return newDecoder(mail.POP3) }})
	flow.Register(flow.Protocol{Name: NameIMAP, Transport: flow.TCP, Ports: []uint16{143}, Match: mail.SniffIMAP,
		New: func() flow.Decoder { return newDecoder(mail.IMAP) }})
}

func newDecoder(p mail.Protocol) *decoder {
	a := &decoder{name: p.String()}
	for i := range a.dec {
		a.dec[i] = mail.Decoder{Protocol: p, Server: i == 1, IsDefault: defcred.IsDefault}
	}
	return a
}

type decoder struct {
	name    string
	dec     [2]mail.Decoder
	ev      loginflow.Login
	pending bool // a login waits for its answer
	userCmd bool // the pending command is POP3's USER (no password yet)
	user    loginflow.User
	def     bool
	tag     [32]byte
	ntag    int
	dir     flow.Dir // of the login's commands: its source is their sender
}

func (a *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &a.dec[dir&1]
	if m := c.MaxMessageBytes(); m > 0 && m < mail.DefaultMaxLine {
		d.MaxLine = m
	}
	d.Feed(data)
	a.drain(c, dir)
}

func (a *decoder) drain(c *flow.Context, dir flow.Dir) {
	d := &a.dec[dir&1]
	for {
		it, err := d.Next()
		if err == mail.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
			continue
		}
		switch it.Kind {
		case mail.KindCommand:
			a.command(c, dir, &it)
		case mail.KindReply:
			a.reply(c, &it)
		}
	}
}

func (a *decoder) command(c *flow.Context, dir flow.Dir, it *mail.Item) {
	switch {
	case it.Login:
		if a.pending && !a.userCmd {
			a.emit(c, loginflow.Unknown)
		}
		a.pending, a.userCmd, a.def, a.dir = true, false, it.DefaultCredential, dir
		a.user.Set(it.User)
		a.ntag = copy(a.tag[:], it.Tag)
	case it.Is("USER"):
		if a.pending && !a.userCmd {
			a.emit(c, loginflow.Unknown)
		}
		a.pending, a.userCmd, a.def, a.dir = true, true, false, dir
		a.user.Set(it.User)
	}
}

func (a *decoder) reply(c *flow.Context, it *mail.Item) {
	if !a.pending || (a.dec[0].Protocol == mail.IMAP && string(it.Tag) != string(a.tag[:a.ntag])) {
		return
	}
	switch {
	case it.OK() && a.userCmd:
		// USER accepted: the password comes next.
	case it.OK():
		a.emit(c, loginflow.Success)
	default:
		a.emit(c, loginflow.Failure)
	}
}

func (a *decoder) emit(c *flow.Context, o loginflow.Outcome) {
	a.ev = loginflow.Login{Protocol: a.name, User: a.user.Bytes(), Outcome: o, DefaultCredential: a.def}
	c.Emit(a.dir, loginflow.KindLogin, &a.ev)
	a.ev = loginflow.Login{}
	a.pending, a.userCmd, a.def = false, false, false
}

func (a *decoder) Gap(c *flow.Context, dir flow.Dir, n int) { a.dec[dir&1].Gap(n) }

func (a *decoder) Close(c *flow.Context) {
	for dir := flow.ClientToServer; dir <= flow.ServerToClient; dir++ {
		a.dec[dir].Flush()
		a.drain(c, dir)
	}
	if a.pending && !a.userCmd {
		a.emit(c, loginflow.Unknown)
	}
}

// Buffered implements [flow.BufferedDecoder].
func (a *decoder) Buffered() int { return a.dec[0].Buffered() + a.dec[1].Buffered() }
