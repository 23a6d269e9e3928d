// Package telnetflow is the flow adapter for Telnet: importing it registers
// protocol "telnet" with package flow (port 23, or an option negotiation on
// any port). It removes the option negotiation from both directions with
// netproto/telnet, follows the server's login and password prompts and the
// lines the client types, and reports each login as a
// [loginflow.KindLogin] event with the user name, the outcome the server's
// text tells, and whether the pair is a vendor default. The typed password
// is compared inside the decoder and erased; it never reaches an event.
package telnetflow

import (
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/netproto/defcred"
	"github.com/medtap/medtap/netproto/telnet"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "telnet"

// The adapter emits [loginflow.KindLogin] events with a [*loginflow.Login];
// oversized subnegotiations are reported as [flow.KindError].

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.TCP,
		Ports:     []uint16{23},
		Match:     telnet.Sniff,
		New:       func() flow.Decoder { return &decoder{login: telnet.Login{IsDefault: defcred.IsDefault}} },
	})
}

type decoder struct {
	dec   [2]telnet.Decoder
	login telnet.Login
	ev    loginflow.Login
}

func (a *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &a.dec[dir&1]
	d.Feed(data)
	for {
		it, err := d.Next()
		if err == telnet.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
			continue
		}
		if it.Kind != telnet.KindData {
			continue
		}
		for b := it.Data; len(b) > 0; {
			var n int
			var at telnet.Attempt
			var ok bool
			if dir == flow.ClientToServer {
				n, at, ok = a.login.Client(b)
			} else {
				n, at, ok = a.login.Server(b)
			}
			b = b[n:]
			if ok {
				a.emit(c, at)
			}
		}
	}
}

var outcomes = [...]loginflow.Outcome{telnet.Unknown: loginflow.Unknown, telnet.Success: loginflow.Success, telnet.Failure: loginflow.Failure}

func (a *decoder) emit(c *flow.Context, at telnet.Attempt) {
	a.ev = loginflow.Login{Protocol: Name, User: at.User, Outcome: outcomes[at.Outcome], DefaultCredential: at.DefaultCredential}
	c.Emit(flow.ClientToServer, loginflow.KindLogin, &a.ev)
	a.ev = loginflow.Login{}
}

func (a *decoder) Gap(c *flow.Context, dir flow.Dir, n int) { a.dec[dir&1].Gap(n) }

func (a *decoder) Close(c *flow.Context) {
	if at, ok := a.login.Pending(); ok {
		a.emit(c, at)
	}
	a.login.Reset()
}
