package ul

// ItemType is the type of an item of an A-ASSOCIATE-RQ/AC PDU or of a
// sub-item of its user information item (PS3.8 sections 9.3.2, 9.3.3 and
// annex D).
type ItemType uint8

// The item types.
const (
	ItemApplicationContext  ItemType = 0x10
	ItemPresentationRQ      ItemType = 0x20
	ItemPresentationAC      ItemType = 0x21
	ItemAbstractSyntax      ItemType = 0x30
	ItemTransferSyntax      ItemType = 0x40
	ItemUserInformation     ItemType = 0x50
	ItemMaxLength           ItemType = 0x51
	ItemImplementationClass ItemType = 0x52
	ItemAsyncOps            ItemType = 0x53
	ItemRoleSelection       ItemType = 0x54
	ItemImplementationVer   ItemType = 0x55
	ItemExtendedNegotiation ItemType = 0x56
	ItemCommonExtended      ItemType = 0x57
	ItemUserIdentityRQ      ItemType = 0x58
	ItemUserIdentityAC      ItemType = 0x59
)

var itemNames = [...]string{
	ItemApplicationContext:  "application-context",
	ItemPresentationRQ:      "presentation-context-rq",
	ItemPresentationAC:      "presentation-context-ac",
	ItemAbstractSyntax:      "abstract-syntax",
	ItemTransferSyntax:      "transfer-syntax",
	ItemUserInformation:     "user-information",
	ItemMaxLength:           "maximum-length",
	ItemImplementationClass: "implementation-class-uid",
	ItemAsyncOps:            "asynchronous-operations-window",
	ItemRoleSelection:       "role-selection",
	ItemImplementationVer:   "implementation-version-name",
	ItemExtendedNegotiation: "sop-class-extended-negotiation",
	ItemCommonExtended:      "sop-class-common-extended-negotiation",
	ItemUserIdentityRQ:      "user-identity-rq",
	ItemUserIdentityAC:      "user-identity-ac",
}

// String returns the item's name, such as "user-information", or a form
// like "ItemType(0x77)" for a type this package does not know.
func (t ItemType) String() string { return nameOrValue(itemNames[:], int(t), "ItemType", true) }

// Associate is an A-ASSOCIATE-RQ or A-ASSOCIATE-AC PDU. Its byte slices are
// views into the body passed to [Associate.Parse], valid as long as it.
// An Associate can be reused: Parse keeps its slices' storage, so parsing
// into a used Associate allocates nothing.
type Associate struct {
	Type            Type // TypeAssociateRQ or TypeAssociateAC
	ProtocolVersion uint16
	// CalledAE and CallingAE are the AE titles without padding spaces. In
	// an A-ASSOCIATE-AC they echo the request (and are not to be trusted).
	CalledAE, CallingAE []byte
	ApplicationContext  []byte // UID without padding
	Contexts            []PresentationContext
	UserInfo            UserInfo
	// Unknown holds the items (and user information sub-items) of types
	// this package does not know, in order.
	Unknown []RawItem

	ts    []tsRef  // transfer syntaxes before they are split per context
	tsAll [][]byte // backing array of every context's TransferSyntaxes
}

type tsRef struct {
	ctx int
	uid []byte
}

// PresentationContext is a presentation context item: proposed in an
// A-ASSOCIATE-RQ (abstract syntax and transfer syntaxes), answered in an
// A-ASSOCIATE-AC (result and the one accepted transfer syntax).
type PresentationContext struct {
	ID               uint8
	Result           ContextResult // AC only
	AbstractSyntax   []byte        // RQ only
	TransferSyntaxes [][]byte
}

// TransferSyntax returns the first (in an AC, the accepted) transfer syntax,
// or nil.
func (pc *PresentationContext) TransferSyntax() []byte {
	if len(pc.TransferSyntaxes) == 0 {
		return nil
	}
	return pc.TransferSyntaxes[0]
}

// ContextResult is the answer to a proposed presentation context in an
// A-ASSOCIATE-AC.
type ContextResult uint8

// The presentation context results.
const (
	ResultAcceptance                   ContextResult = 0
	ResultUserRejection                ContextResult = 1
	ResultNoReason                     ContextResult = 2
	ResultAbstractSyntaxNotSupported   ContextResult = 3
	ResultTransferSyntaxesNotSupported ContextResult = 4
)

// String returns the result's name, such as "acceptance" or
// "abstract-syntax-not-supported", or "unknown" for another value.
func (r ContextResult) String() string { return nameOrUnknown(contextResultNames[:], int(r)) }

var contextResultNames = [...]string{
	ResultAcceptance:                   "acceptance",
	ResultUserRejection:                "user-rejection",
	ResultNoReason:                     "no-reason",
	ResultAbstractSyntaxNotSupported:   "abstract-syntax-not-supported",
	ResultTransferSyntaxesNotSupported: "transfer-syntaxes-not-supported",
}

// UserInfo holds the sub-items of the user information item.
type UserInfo struct {
	MaxLength    uint32 // maximum P-DATA-TF length the sender receives; 0: unlimited
	HasMaxLength bool
	// ImplementationClassUID and ImplementationVersionName identify the
	// software (dcmtk, Orthanc, a modality's firmware): prime fingerprints.
	ImplementationClassUID    []byte
	ImplementationVersionName []byte
	// Asynchronous operations window.
	MaxOpsInvoked, MaxOpsPerformed uint16
	HasAsyncOps                    bool
	Roles                          []RoleSelection
	Extended                       []ExtendedNegotiation
	CommonExtended                 []CommonExtendedNegotiation
	Identity                       UserIdentity
}

// RoleSelection is an SCP/SCU role selection sub-item.
type RoleSelection struct {
	SOPClass []byte
	SCU, SCP RoleSupport
}

// RoleSupport is the value of the SCU or SCP role of a role selection
// sub-item: in an A-ASSOCIATE-RQ whether the requestor supports the role,
// in an A-ASSOCIATE-AC whether the acceptor accepts it.
type RoleSupport uint8

// The role selection values.
const (
	RoleUnsupported RoleSupport = 0 // not supported (RQ), rejected (AC)
	RoleSupported   RoleSupport = 1 // supported (RQ), accepted (AC)
)

// String returns "unsupported", "supported", or a form like
// "RoleSupport(2)" for another value.
func (r RoleSupport) String() string {
	return nameOrValue([]string{RoleUnsupported: "unsupported", RoleSupported: "supported"}, int(r), "RoleSupport", false)
}

// ExtendedNegotiation is an SOP class extended negotiation sub-item; Info
// is the service-class-specific application information.
type ExtendedNegotiation struct {
	SOPClass, Info []byte
}

// CommonExtendedNegotiation is an SOP class common extended negotiation
// sub-item. RelatedGeneral is the raw list of related general SOP class
// identification sub-items; [CommonExtendedNegotiation.RelatedClasses]
// splits it.
type CommonExtendedNegotiation struct {
	SOPClass, ServiceClass []byte
	RelatedGeneral         []byte
}

// RelatedClasses appends the related general SOP class UIDs to dst.
func (c *CommonExtendedNegotiation) RelatedClasses(dst [][]byte) [][]byte {
	b := c.RelatedGeneral
	for len(b) >= 2 {
		n := int(be16(b))
		if n > len(b)-2 {
			break
		}
		dst = append(dst, trimUID(b[2:2+n]))
		b = b[2+n:]
	}
	return dst
}

// UserIdentity is the user identity negotiation sub-item of a request
// (Type, PositiveResponse, Primary, Secondary) or of an acceptance
// (ServerResponse). Passwords travel in Secondary in clear text.
type UserIdentity struct {
	Present          bool
	Type             IdentityType
	PositiveResponse bool // the requestor asks for a server response
	Primary          []byte
	Secondary        []byte
	ServerResponse   []byte // AC only
}

// IdentityType is the kind of user identity of a user identity
// negotiation sub-item.
type IdentityType uint8

// The user identity types.
const (
	IdentityUsername         IdentityType = 1
	IdentityUsernamePassword IdentityType = 2
	IdentityKerberos         IdentityType = 3
	IdentitySAML             IdentityType = 4
	IdentityJWT              IdentityType = 5
)

// String returns "username", "username-password", "kerberos", "saml",
// "jwt", or "unknown" for another value.
func (t IdentityType) String() string { return nameOrUnknown(identityNames[:], int(t)) }

var identityNames = [...]string{
	IdentityUsername:         "username",
	IdentityUsernamePassword: "username-password",
	IdentityKerberos:         "kerberos",
	IdentitySAML:             "saml",
	IdentityJWT:              "jwt",
}

// RawItem is an item this package does not decode.
type RawItem struct {
	Type     ItemType
	Offset   int64  // offset of the item header from the start of the PDU header
	UserInfo bool   // a sub-item of the user information item
	Data     []byte // the item's value
}

// Parse decodes the body (the bytes after the 6-byte header) of an
// A-ASSOCIATE-RQ (t = TypeAssociateRQ) or A-ASSOCIATE-AC. Offsets in errors
// count from the start of the PDU header. On error a holds what was decoded
// before the problem.
func (a *Associate) Parse(t Type, body []byte) error {
	*a = Associate{
		Type:     t,
		Contexts: a.Contexts[:0],
		Unknown:  a.Unknown[:0],
		ts:       a.ts[:0],
		tsAll:    a.tsAll[:0],
		UserInfo: UserInfo{
			Roles:          a.UserInfo.Roles[:0],
			Extended:       a.UserInfo.Extended[:0],
			CommonExtended: a.UserInfo.CommonExtended[:0],
		},
	}
	if len(body) < associateFixedLen {
		return &Error{Offset: HeaderLen + int64(len(body)), Err: ErrTruncated}
	}
	a.ProtocolVersion = be16(body)
	a.CalledAE = trimAE(body[4:20])
	a.CallingAE = trimAE(body[20:36])
	err := a.items(body, associateFixedLen)
	a.split()
	return err
}

// items walks the variable items from off.
func (a *Associate) items(body []byte, off int) error {
	for off < len(body) {
		typ, val, next, err := item(body, off)
		if err != nil {
			return err
		}
		switch typ {
		case ItemApplicationContext:
			a.ApplicationContext = trimUID(val)
		case ItemPresentationRQ, ItemPresentationAC:
			if err := a.context(typ, val, off+4); err != nil {
				return err
			}
		case ItemUserInformation:
			if err := a.userInfo(body, off+4, next); err != nil {
				return err
			}
		default:
			a.Unknown = append(a.Unknown, RawItem{Type: typ, Offset: HeaderLen + int64(off), Data: val})
		}
		off = next
	}
	return nil
}

// item reads the item header at off: type, reserved byte, 16-bit length.
func item(b []byte, off int) (typ ItemType, val []byte, next int, err error) {
	if len(b)-off < 4 {
		return 0, nil, 0, &Error{Offset: HeaderLen + int64(off), Err: ErrTruncated}
	}
	n := int(be16(b[off+2:]))
	if n > len(b)-off-4 {
		return 0, nil, 0, &Error{Offset: HeaderLen + int64(off) + 2, Err: ErrItemLength}
	}
	return ItemType(b[off]), b[off+4 : off+4+n], off + 4 + n, nil
}

func (a *Associate) context(typ ItemType, val []byte, base int) error {
	if len(val) < 4 {
		return &Error{Offset: HeaderLen + int64(base), Err: ErrTruncated}
	}
	pc := PresentationContext{ID: val[0]}
	if typ == ItemPresentationAC {
		pc.Result = ContextResult(val[2])
	}
	ci := len(a.Contexts)
	for off := 4; off < len(val); {
		st, sv, next, err := item(val, off)
		if err != nil {
			err.(*Error).Offset += int64(base)
			a.Contexts = append(a.Contexts, pc)
			return err
		}
		switch st {
		case ItemAbstractSyntax:
			pc.AbstractSyntax = trimUID(sv)
		case ItemTransferSyntax:
			a.ts = append(a.ts, tsRef{ctx: ci, uid: trimUID(sv)})
		default:
			a.Unknown = append(a.Unknown, RawItem{Type: st, Offset: HeaderLen + int64(base+off), Data: sv})
		}
		off = next
	}
	a.Contexts = append(a.Contexts, pc)
	return nil
}

// split hands each context its transfer syntaxes: a.ts is ordered by
// context, so each gets a sub-slice of one backing array.
func (a *Associate) split() {
	for i := range a.Contexts {
		a.Contexts[i].TransferSyntaxes = nil
	}
	a.tsAll = a.tsAll[:0]
	for _, r := range a.ts {
		a.tsAll = append(a.tsAll, r.uid)
	}
	for i := 0; i < len(a.ts); {
		j := i
		for j < len(a.ts) && a.ts[j].ctx == a.ts[i].ctx {
			j++
		}
		a.Contexts[a.ts[i].ctx].TransferSyntaxes = a.tsAll[i:j:j]
		i = j
	}
}

func (a *Associate) userInfo(body []byte, off, end int) error {
	u := &a.UserInfo
	b := body[:end]
	for off < end {
		typ, val, next, err := item(b, off)
		if err != nil {
			return err
		}
		bad := false
		switch typ {
		case ItemMaxLength:
			if len(val) >= 4 {
				u.MaxLength, u.HasMaxLength = be32(val), true
			} else {
				bad = true
			}
		case ItemImplementationClass:
			u.ImplementationClassUID = trimUID(val)
		case ItemImplementationVer:
			u.ImplementationVersionName = trimAE(val)
		case ItemAsyncOps:
			if len(val) >= 4 {
				u.MaxOpsInvoked, u.MaxOpsPerformed, u.HasAsyncOps = be16(val), be16(val[2:]), true
			} else {
				bad = true
			}
		case ItemRoleSelection:
			uid, rest, ok := lenPrefixed(val)
			if ok && len(rest) >= 2 {
				u.Roles = append(u.Roles, RoleSelection{SOPClass: trimUID(uid), SCU: RoleSupport(rest[0]), SCP: RoleSupport(rest[1])})
			} else {
				bad = true
			}
		case ItemExtendedNegotiation:
			uid, rest, ok := lenPrefixed(val)
			if ok {
				u.Extended = append(u.Extended, ExtendedNegotiation{SOPClass: trimUID(uid), Info: rest})
			} else {
				bad = true
			}
		case ItemCommonExtended:
			uid, rest, ok := lenPrefixed(val)
			var svc, rel []byte
			if ok {
				svc, rest, ok = lenPrefixed(rest)
			}
			if ok {
				rel, _, ok = lenPrefixed(rest)
			}
			if ok {
				u.CommonExtended = append(u.CommonExtended, CommonExtendedNegotiation{SOPClass: trimUID(uid), ServiceClass: trimUID(svc), RelatedGeneral: rel})
			} else {
				bad = true
			}
		case ItemUserIdentityRQ:
			if len(val) >= 2 {
				id := UserIdentity{Present: true, Type: IdentityType(val[0]), PositiveResponse: val[1] == 1}
				p, rest, ok := lenPrefixed(val[2:])
				var s []byte
				if ok {
					s, _, ok = lenPrefixed(rest)
				}
				if ok {
					id.Primary, id.Secondary = p, s
					u.Identity = id
				} else {
					bad = true
				}
			} else {
				bad = true
			}
		case ItemUserIdentityAC:
			r, _, ok := lenPrefixed(val)
			if ok {
				u.Identity.Present = true
				u.Identity.ServerResponse = r
			} else {
				bad = true
			}
		default:
			a.Unknown = append(a.Unknown, RawItem{Type: typ, Offset: HeaderLen + int64(off), UserInfo: true, Data: val})
		}
		if bad {
			return &Error{Offset: HeaderLen + int64(off), Err: ErrPDUBody}
		}
		off = next
	}
	return nil
}

// lenPrefixed splits a 16-bit big endian length-prefixed field off b.
func lenPrefixed(b []byte) (v, rest []byte, ok bool) {
	if len(b) < 2 {
		return nil, nil, false
	}
	n := int(be16(b))
	if n > len(b)-2 {
		return nil, nil, false
	}
	return b[2 : 2+n], b[2+n:], true
}

// trimAE removes leading and trailing spaces (and NULs, which some
// implementations pad with) from an AE title or version name.
func trimAE(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == 0) {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	return b
}

// trimUID removes the trailing NUL or space padding of a UID.
func trimUID(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == 0 || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}
