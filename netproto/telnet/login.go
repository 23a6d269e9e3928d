package telnet

// Outcome is what the server answered to a login, as far as its text tells.
type Outcome uint8

// Outcomes.
const (
	Unknown Outcome = iota // the session ended before the answer
	Success                // a shell prompt or other text without a refusal
	Failure                // "Login incorrect", "failed", "denied", "invalid", or a new login prompt
)

// Attempt is one login a [Login] saw: the user name the client typed, the
// outcome, and whether the user name and password are a known default
// credential. User is a view valid until the next call to the Login.
type Attempt struct {
	User              []byte
	Outcome           Outcome
	DefaultCredential bool
}

const (
	lgWait     = iota // no login prompt seen
	lgUser            // the client types the user name
	lgWaitPass        // the user name was sent; waiting for the password prompt
	lgPass            // the client types the password
	lgAnswer          // waiting for the server's answer
)

// maxAnswer is how many bytes of the server's text after a password decide
// a login that was not refused.
const maxAnswer = 2048

// A Login follows the logins of a Telnet session from the data of both
// directions (IAC sequences removed by a [Decoder]): call Server with what
// the server sends and Client with what the client sends, in stream order.
// Each returns after the bytes that complete an attempt, which it reports;
// call it again with the rest. The zero value is ready to use.
//
// Prompts are recognised at the end of what the server sends: "login:",
// "username:", "user name:" and "password:" or "passcode:" (any case,
// trailing spaces allowed). The client's line ends at CR or LF; backspace
// and DEL remove the character before them.
type Login struct {
	// IsDefault, when set, is called with the user name and the password
	// typed, valid only during the call, and says whether they are a known
	// default credential.
	IsDefault func(user, password []byte) bool

	state  int
	tail   [16]byte // the server's last bytes, lower case
	ntail  int
	line   [128]byte
	nline  int
	over   bool // the line is longer than line
	user   [64]byte
	nuser  int
	def    bool
	answer int // bytes of the server's answer seen
	typed  int // characters the client typed since the password
}

// Reset makes the Login ready for a new session.
func (l *Login) Reset() {
	clear(l.line[:])
	*l = Login{IsDefault: l.IsDefault}
}

// prompt says what the server's text ends with.
func (l *Login) prompt() (user, pass bool) {
	t := l.tail[:l.ntail]
	for len(t) > 0 && (t[len(t)-1] == ' ' || t[len(t)-1] == '\t') {
		t = t[:len(t)-1]
	}
	for _, p := range [...]string{"login:", "username:", "user name:"} {
		if hasSuffix(t, p) {
			return true, false
		}
	}
	return false, hasSuffix(t, "password:") || hasSuffix(t, "passcode:")
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// refused says whether the server's text ends with a refusal.
func (l *Login) refused() bool {
	t := l.tail[:l.ntail]
	for _, w := range [...]string{"incorrect", "failed", "denied", "invalid"} {
		if hasSuffix(t, w) {
			return true
		}
	}
	return false
}

// Server takes n bytes of the server's data and, when they complete an
// attempt, reports it. Prompts are looked for at the end of data (a prompt
// waits for the client, so it ends what the server sends), refusals
// anywhere.
func (l *Login) Server(data []byte) (n int, a Attempt, ok bool) {
	for i, c := range data {
		if c == 0 {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if l.ntail == len(l.tail) {
			copy(l.tail[:], l.tail[1:])
			l.ntail--
		}
		l.tail[l.ntail] = c
		l.ntail++
		if l.state == lgAnswer {
			if l.answer++; l.refused() {
				l.state = lgWait
				return i + 1, l.attempt(Failure), true
			}
			if l.answer >= maxAnswer {
				l.state = lgWait
				return i + 1, l.attempt(Success), true
			}
		}
	}
	user, pass := l.prompt()
	switch {
	case l.state == lgAnswer && user:
		a := l.attempt(Failure)
		l.startUser()
		return len(data), a, true
	case l.state == lgAnswer && l.shellPrompt():
		l.state = lgWait
		return len(data), l.attempt(Success), true
	case user && l.state != lgUser:
		l.startUser()
	case pass && l.state != lgPass && l.state != lgAnswer:
		if l.state != lgWaitPass {
			l.nuser = 0 // a password prompt without a user name
		}
		l.state, l.nline, l.over = lgPass, 0, false
	}
	return len(data), Attempt{}, false
}

// shellPrompt says whether the server's text ends like a shell's prompt.
func (l *Login) shellPrompt() bool {
	t := l.tail[:l.ntail]
	for len(t) > 0 && t[len(t)-1] == ' ' {
		t = t[:len(t)-1]
	}
	if len(t) == 0 {
		return false
	}
	switch t[len(t)-1] {
	case '$', '#', '>', '%':
		return true
	}
	return false
}

func (l *Login) startUser() {
	l.state, l.nline, l.over, l.nuser, l.ntail = lgUser, 0, false, 0, 0
}

func (l *Login) attempt(o Outcome) Attempt {
	a := Attempt{User: l.user[:l.nuser], Outcome: o, DefaultCredential: l.def}
	l.def = false
	return a
}

// Client takes n bytes of the client's data and, when they complete an
// attempt (a password typed after an attempt whose answer was not seen),
// reports it.
func (l *Login) Client(data []byte) (n int, a Attempt, ok bool) {
	for i, c := range data {
		if l.state != lgUser && l.state != lgPass {
			if l.state == lgAnswer {
				if (c == '\r' || c == '\n') && l.typed > 0 {
					// A command line typed after the password, before
					// the server answered: the login went through.
					l.state = lgWait
					return i + 1, l.attempt(Success), true
				}
				if c > ' ' {
					l.typed++
				}
			}
			continue
		}
		switch c {
		case '\r', '\n':
			if l.nline == 0 && !l.over {
				continue // the LF or NUL after a CR, or an empty line
			}
			l.endLine()
		case 0x08, 0x7f:
			if l.nline > 0 {
				l.nline--
				l.line[l.nline] = 0
			}
		default:
			if c < ' ' {
				continue
			}
			if l.nline == len(l.line) {
				l.over = true
				continue
			}
			l.line[l.nline] = c
			l.nline++
		}
	}
	return len(data), Attempt{}, false
}

// endLine ends the line the client typed: the user name, or the password,
// which is compared and erased.
func (l *Login) endLine() {
	switch l.state {
	case lgUser:
		l.nuser = copy(l.user[:], l.line[:l.nline])
		l.state, l.ntail = lgWaitPass, 0
	case lgPass:
		l.def = !l.over && l.IsDefault != nil && l.IsDefault(l.user[:l.nuser], l.line[:l.nline])
		clear(l.line[:])
		l.state, l.answer, l.ntail, l.typed = lgAnswer, 0, 0, 0
	}
	l.nline, l.over = 0, false
}

// Pending reports a login whose password was typed but whose answer was not
// seen (at the end of the session), and forgets it.
func (l *Login) Pending() (Attempt, bool) {
	if l.state != lgAnswer {
		return Attempt{}, false
	}
	l.state = lgWait
	return l.attempt(Unknown), true
}
