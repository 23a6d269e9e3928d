package detect

// Table is a fixed-size map from K to V with least-recently-used eviction:
// the bounded state of detectors. Its entries live in one slice, reused
// after evictions, so a full table allocates nothing. The zero value is not
// usable; call [NewTable].
type Table[K comparable, V any] struct {
	m       map[K]int32
	ents    []tableEnt[K, V]
	head    int32 // most recently used, -1 when empty
	tail    int32 // least recently used
	max     int
	evicted uint64
	// OnEvict, when set, is called with an entry about to be evicted.
	OnEvict func(k K, v *V)
}

type tableEnt[K comparable, V any] struct {
	k          K
	v          V
	prev, next int32
}

// NewTable returns a table of at most max entries (at least 1).
func NewTable[K comparable, V any](max int) *Table[K, V] {
	max = maxInt(max, 1)
	return &Table[K, V]{m: make(map[K]int32, min(max, 1024)), head: -1, tail: -1, max: max}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Len returns the number of entries.
func (t *Table[K, V]) Len() int { return len(t.m) }

// Cap returns the most entries the table holds.
func (t *Table[K, V]) Cap() int { return t.max }

// Evicted returns the number of entries evicted to make room.
func (t *Table[K, V]) Evicted() uint64 { return t.evicted }

// Get returns k's value, and marks it most recently used.
func (t *Table[K, V]) Get(k K) (*V, bool) {
	i, ok := t.m[k]
	if !ok {
		return nil, false
	}
	t.touch(i)
	return &t.ents[i].v, true
}

// Peek returns k's value without changing the order of eviction.
func (t *Table[K, V]) Peek(k K) (*V, bool) {
	i, ok := t.m[k]
	if !ok {
		return nil, false
	}
	return &t.ents[i].v, true
}

// Put returns k's value, inserting a zero one (and evicting the least
// recently used entry when the table is full) when k is not there; isNew
// says it was inserted.
func (t *Table[K, V]) Put(k K) (v *V, isNew bool) {
	if i, ok := t.m[k]; ok {
		t.touch(i)
		return &t.ents[i].v, false
	}
	var i int32
	if len(t.ents) < t.max {
		t.ents = append(t.ents, tableEnt[K, V]{})
		i = int32(len(t.ents) - 1)
	} else {
		i = t.tail
		old := &t.ents[i]
		if t.OnEvict != nil {
			t.OnEvict(old.k, &old.v)
		}
		t.unlink(i)
		delete(t.m, old.k)
		t.evicted++
	}
	var zero V
	e := &t.ents[i]
	e.k, e.v = k, zero
	t.m[k] = i
	t.pushFront(i)
	return &e.v, true
}

// All calls yield for every entry, most recently used first, until it
// returns false. yield must not change the table.
func (t *Table[K, V]) All(yield func(k K, v *V) bool) {
	for i := t.head; i >= 0; i = t.ents[i].next {
		if !yield(t.ents[i].k, &t.ents[i].v) {
			return
		}
	}
}

func (t *Table[K, V]) touch(i int32) {
	if t.head == i {
		return
	}
	t.unlink(i)
	t.pushFront(i)
}

func (t *Table[K, V]) unlink(i int32) {
	e := &t.ents[i]
	if e.prev >= 0 {
		t.ents[e.prev].next = e.next
	} else {
		t.head = e.next
	}
	if e.next >= 0 {
		t.ents[e.next].prev = e.prev
	} else {
		t.tail = e.prev
	}
	e.prev, e.next = -1, -1
}

func (t *Table[K, V]) pushFront(i int32) {
	e := &t.ents[i]
	e.prev, e.next = -1, t.head
	if t.head >= 0 {
		t.ents[t.head].prev = i
	} else {
		t.tail = i
	}
	t.head = i
}
