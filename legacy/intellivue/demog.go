package intellivue

// Patient demographics attributes (NOM_MOC_PT_DEMOG objects) and values.
const (
	AttrPatientState  = 0x0957 // NOM_ATTR_PT_DEMOG_ST
	AttrPatientDOB    = 0x0958 // NOM_ATTR_PT_DOB
	AttrPatientID     = 0x095A // NOM_ATTR_PT_ID
	AttrPatientFamily = 0x095C // NOM_ATTR_PT_NAME_FAMILY
	AttrPatientGiven  = 0x095D // NOM_ATTR_PT_NAME_GIVEN
	AttrPatientSex    = 0x0961 // NOM_ATTR_PT_SEX
	AttrPatientType   = 0x0962 // NOM_ATTR_PT_TYPE

	SexUnknown     = 0 // SEX_UNKNOWN
	SexMale        = 1 // MALE
	SexFemale      = 2 // FEMALE
	SexUnspecified = 9 // SEX_UNSPECIFIED

	PatientTypeUnspecified = 0 // PAT_TYPE_UNSPECIFIED
	PatientAdult           = 1 // ADULT
	PatientPediatric       = 2 // PEDIATRIC
	PatientNeonatal        = 3 // NEONATAL

	PatientEmpty       = 0 // EMPTY
	PatientPreAdmitted = 1 // PRE_ADMITTED
	PatientAdmitted    = 2 // ADMITTED
	PatientDischarged  = 8 // DISCHARGED
)

// Demographics is what a monitor exports about its patient. This is
// protected health information: the views point into the datagram and are
// valid as long as it; log presence or lengths, not values. Strings are
// UTF-16BE (see AppendUTF16) with trailing NULs trimmed.
type Demographics struct {
	GivenName, FamilyName []byte
	PatientID             []byte
	DOB                   []byte // AbsoluteTime: 8 bytes of BCD (century, year, month, day, hour, minute, second, sec fraction)
	HasSex, HasType       bool
	HasState              bool
	Sex                   uint16 // SexMale, SexFemale, ...
	Type                  uint16 // PatientAdult, PatientPediatric, PatientNeonatal
	State                 uint16 // PatientAdmitted, ...
}

// Demographics collects the patient demographics attributes of an
// observation (polled with object class MOCDemog). The observation's
// attribute iterator is not advanced.
func (o Observation) Demographics() (Demographics, error) {
	var d Demographics
	it := o.Attrs
	for a, ok := it.Next(); ok; a, ok = it.Next() {
		r := a.reader()
		switch a.ID {
		case AttrPatientGiven:
			d.GivenName = stringLabel(&r)
		case AttrPatientFamily:
			d.FamilyName = stringLabel(&r)
		case AttrPatientID:
			d.PatientID = stringLabel(&r)
		case AttrPatientDOB:
			d.DOB = r.bytes(8)
		case AttrPatientSex:
			d.Sex, d.HasSex = r.u16(), true
		case AttrPatientType:
			d.Type, d.HasType = r.u16(), true
		case AttrPatientState:
			d.State, d.HasState = r.u16(), true
		}
		if r.err != nil {
			return d, r.err
		}
	}
	return d, it.Err()
}
