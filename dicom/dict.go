package dicom

import "sort"

//go:generate go run ./internal/gen

// DictEntry is one entry of the data dictionary (PS3.6 section 6, as
// distributed with dcmtk; see internal/gen/README.md).
type DictEntry struct {
	Tag     Tag    // 0 for entries that stand for a range of tags
	VR      VR     // the VR used for implicit VR data; US for "US or SS", OW for "OB or OW"
	VM      string // value multiplicity, such as "1", "1-n", "3"
	Keyword string // such as "PatientName"
	Name    string // the keyword split into words, such as "Patient Name"
	Retired bool
}

type dictRange struct {
	gLo, gHi uint16
	gPar     uint8 // 0 even, 1 odd, 2 any
	eLo, eHi uint16
	ePar     uint8
	entry    DictEntry
}

func parityOK(v uint16, par uint8) bool { return par == 2 || v&1 == uint16(par) }

func lookupEntry(t Tag) (DictEntry, bool) {
	lo, hi := 0, len(dictionary)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if dictionary[m].Tag < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(dictionary) && dictionary[lo].Tag == t {
		return dictionary[lo], true
	}
	g, e := t.Group(), t.Element()
	for i := range dictRanges {
		r := &dictRanges[i]
		if g >= r.gLo && g <= r.gHi && e >= r.eLo && e <= r.eHi && parityOK(g, r.gPar) && parityOK(e, r.ePar) {
			d := r.entry
			d.Tag = t
			return d, true
		}
	}
	return DictEntry{}, false
}

// Lookup returns the dictionary entry for t. Repeating groups (such as the
// overlay groups 6000-60FF) and group lengths match; private tags other than
// private creators do not.
func Lookup(t Tag) (DictEntry, bool) { return lookupEntry(t) }

// UIDKind says what a registered UID names.
type UIDKind uint8

const (
	UIDOther UIDKind = iota
	UIDTransferSyntax
	UIDSOPClass
)

// UIDEntry is one entry of the UID registry (PS3.6 annex A, as distributed
// with dcmtk; see internal/gen/README.md).
type UIDEntry struct {
	UID     string
	Name    string // dcmtk's name, such as "MRImageStorage" or "LittleEndianExplicit"
	Kind    UIDKind
	Retired bool
}

// LookupUID returns the registry entry for uid (trailing NUL and space
// padding ignored).
func LookupUID(uid []byte) (UIDEntry, bool) {
	uid = trimUID(uid)
	i := sort.Search(len(uidRegistry), func(i int) bool { return uidRegistry[i].UID >= string(uid) })
	if i < len(uidRegistry) && uidRegistry[i].UID == string(uid) {
		return uidRegistry[i], true
	}
	return UIDEntry{}, false
}

// implicitVR returns the VR that the data dictionary gives tag, for implicit
// VR datasets: UL for group lengths, LO for private creators, UN otherwise.
func implicitVR(t Tag) VR {
	if t.IsGroupLength() {
		return UL
	}
	if t.IsPrivateCreator() {
		return LO
	}
	if t.IsPrivate() {
		return UN
	}
	for h := dictHash(t); ; h = (h + 1) & dictHashMask {
		i := dictIndex[h]
		if i == 0 {
			break
		}
		if dictTags[i-1] == t {
			if vr := dictVRs[i-1]; vr != 0 {
				return vr
			}
			return UN
		}
	}
	if e, ok := lookupEntry(t); ok && e.VR != 0 {
		return e.VR
	}
	return UN
}

// dictIndex is an open-addressing hash table from tag to index+1 in
// dictTags, for the implicit VR lookup on every element.
const (
	dictHashBits = 13
	dictHashMask = 1<<dictHashBits - 1
)

var dictIndex = func() (idx [1 << dictHashBits]uint16) {
	for i, t := range dictTags {
		h := dictHash(t)
		for idx[h] != 0 {
			h = (h + 1) & dictHashMask
		}
		idx[h] = uint16(i + 1)
	}
	return idx
}()

func dictHash(t Tag) uint32 { return uint32(t) * 0x9E3779B1 >> (32 - dictHashBits) }

type privateCreator struct {
	name   string
	lo, hi uint16 // entries privateDict[lo:hi]
}

type privateEntry struct {
	gLo, gHi uint16 // odd groups gLo..gHi
	elem     uint16 // 00-FF: the element byte in the creator's block; above: the whole element
	vr       VR
	vm       string
	keyword  string
	name     string
}

// LookupPrivate returns the private dictionary entry (dcmtk's private.dic)
// for the private data element t whose block is reserved by the private
// creator creator, the value of its (gggg,00xx) element; leading and
// trailing spaces and trailing NULs of creator are ignored. As in dcmtk, an
// entry for the whole element wins over one for the element byte within
// any block. The entry's Keyword is the dictionary's name, often
// "Unknown"; Retired is always false. LookupPrivate does not allocate.
func LookupPrivate(t Tag, creator []byte) (DictEntry, bool) {
	if e := lookupPrivate(t, creator); e != nil {
		return DictEntry{Tag: t, VR: e.vr, VM: e.vm, Keyword: e.keyword, Name: e.name}, true
	}
	return DictEntry{}, false
}

func lookupPrivate(t Tag, creator []byte) *privateEntry {
	if !t.IsPrivate() || t.Element() < 0x1000 {
		return nil
	}
	i := findCreator(trim(creator, LO)) // a creator is an LO value
	if i < 0 {
		return nil
	}
	return privateEntryOf(i, t)
}

// findCreator returns the index of creator, trimmed, in privateCreators, or
// -1.
func findCreator(creator []byte) int {
	lo, hi := 0, len(privateCreators)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if privateCreators[m].name < string(creator) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(privateCreators) || privateCreators[lo].name != string(creator) {
		return -1
	}
	return lo
}

// privateEntryOf returns the entry of privateCreators[i] for the private
// data element t, or nil.
func privateEntryOf(i int, t Tag) *privateEntry {
	c := &privateCreators[i]
	es := privateDict[c.lo:c.hi]
	g := t.Group()
	if e := findPrivate(es, g, t.Element()); e != nil {
		return e
	}
	return findPrivate(es, g, t.Element()&0xFF)
}

// findPrivate returns the entry of es (sorted by element) for element el
// whose group range holds g.
func findPrivate(es []privateEntry, g, el uint16) *privateEntry {
	lo, hi := 0, len(es)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if es[m].elem < el {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for i := lo; i < len(es) && es[i].elem == el; i++ {
		if g >= es[i].gLo && g <= es[i].gHi {
			return &es[i]
		}
	}
	return nil
}
