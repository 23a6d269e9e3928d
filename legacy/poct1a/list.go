package poct1a

// MaxList is the number of values a [List] or [Params] holds; further
// values are counted in Dropped.
const MaxList = 16

// List is a repeated value of a message (the topics a device supports, the
// directives it accepts). The values are views valid until the next call to
// Next or Feed.
type List struct {
	vals    [MaxList][]byte
	n       int
	Dropped int // values that did not fit
}

// Len returns the number of values.
func (l *List) Len() int { return l.n }

// At returns value i, 0 <= i < Len().
func (l *List) At(i int) []byte { return l.vals[i] }

func (l *List) add(v []byte) {
	if l.n == MaxList {
		l.Dropped++
		return
	}
	l.vals[l.n] = v
	l.n++
}

// Param is one parameter of a directive: the local name of a leaf element
// of a DTV message other than the header and command code (TM.dttm for
// SET_TIME, vendor elements for vendor directives) and its V attribute.
type Param struct {
	Name, Value []byte
}

// Params are the parameters of a directive, in document order.
type Params struct {
	p       [MaxList]Param
	n       int
	Dropped int
}

// Len returns the number of parameters.
func (p *Params) Len() int { return p.n }

// At returns parameter i, 0 <= i < Len().
func (p *Params) At(i int) Param { return p.p[i] }

func (p *Params) add(name, v []byte) {
	if p.n == MaxList {
		p.Dropped++
		return
	}
	p.p[p.n] = Param{name, v}
	p.n++
}
