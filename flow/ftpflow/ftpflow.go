// Package ftpflow is the flow adapter for the FTP control connection:
// importing it registers protocol "ftp" with package flow (port 21, or a
// greeting that names FTP on any port). It reports each command and each
// login: USER, then PASS, then the server's answer (230 or 530), as a
// [loginflow.KindLogin] event with the user name and whether the pair is a
// vendor default. Passwords are compared inside the decoder (netproto/ftp)
// and never reach an event.
package ftpflow

import (
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/netproto/defcred"
	"github.com/medtap/medtap/netproto/ftp"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "ftp"

// The kinds of event the adapter emits, with their Detail.
const (
	// KindCommand: a command of the client ([*Command]); the argument of
	// PASS and ACCT is left out.
	KindCommand flow.Kind = "command"
	// Logins are reported as [loginflow.KindLogin] with a
	// [*loginflow.Login]; malformed lines as [flow.KindError].
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.TCP,
		Ports:     []uint16{21},
		Match:     ftp.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// Command is the Detail of "command" events. Its views are valid only
// during the event.
type Command struct {
	Command, Arg []byte
}

// AppendJSON implements [flow.Detail]: command and arg (when present).
func (c *Command) AppendJSON(dst []byte) []byte {
	dst = flow.AppendBytes(dst, "command", c.Command)
	return flow.AppendNonEmpty(dst, "arg", c.Arg)
}

// Login states.
const (
	idle = iota
	userSent
	passSent
)

type decoder struct {
	dec   [2]ftp.Decoder
	cmd   Command
	login loginflow.Login
	state int
	user  loginflow.User
	def   bool
	dir   flow.Dir // of the login's commands: its source is their sender
}

func (a *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &a.dec[dir&1]
	if d.IsDefault == nil {
		d.IsDefault = defcred.IsDefault
	}
	d.Feed(data)
	a.drain(c, dir)
}

func (a *decoder) drain(c *flow.Context, dir flow.Dir) {
	d := &a.dec[dir&1]
	for {
		it, err := d.Next()
		if err == ftp.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
			continue
		}
		switch it.Kind {
		case ftp.KindCommand:
			a.command(c, dir, &it)
		case ftp.KindReply:
			a.reply(c, it.Code)
		}
	}
}

func (a *decoder) command(c *flow.Context, dir flow.Dir, it *ftp.Item) {
	switch {
	case it.Is("USER"):
		if a.state != idle {
			a.emit(c, loginflow.Unknown)
		}
		a.user.Set(it.Arg)
		a.state, a.def, a.dir = userSent, false, dir
	case it.Is("PASS"):
		if a.state == idle {
			a.user.Set(nil)
		}
		a.state, a.def, a.dir = passSent, it.DefaultCredential, dir
	}
	a.cmd = Command{Command: it.Command, Arg: it.Arg}
	c.Emit(dir, KindCommand, &a.cmd)
	a.cmd = Command{}
}

// reply ends a login on its answer: 230 (or 202, already logged in)
// accepts it, 331 and 332 ask for more, anything else refuses it.
func (a *decoder) reply(c *flow.Context, code int) {
	if a.state == idle {
		return
	}
	switch {
	case code == 331 || code == 332 || code < 200:
	case code == 230 || code == 202:
		a.emit(c, loginflow.Success)
	case code >= 400:
		a.emit(c, loginflow.Failure)
	}
}

func (a *decoder) emit(c *flow.Context, o loginflow.Outcome) {
	a.login = loginflow.Login{Protocol: Name, User: a.user.Bytes(), Outcome: o, DefaultCredential: a.def}
	c.Emit(a.dir, loginflow.KindLogin, &a.login)
	a.login = loginflow.Login{}
	a.state, a.def = idle, false
}

func (a *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {
	a.dec[dir&1].Gap(n)
}

func (a *decoder) Close(c *flow.Context) {
	for dir := flow.ClientToServer; dir <= flow.ServerToClient; dir++ {
		a.dec[dir].Flush()
		a.drain(c, dir)
	}
	if a.state != idle {
		a.emit(c, loginflow.Unknown)
	}
}

// Buffered implements [flow.BufferedDecoder].
func (a *decoder) Buffered() int { return a.dec[0].Buffered() + a.dec[1].Buffered() }
