package intellivue

import "strconv"

// The wire codes of the protocol, each a named type whose String method
// returns the identifier that Philips' "Data Export Interface Programming
// Guide" gives it ("NOM_MOC_VMO_METRIC_NU", "CMD_CONFIRMED_ACTION") and, for
// a value the package does not know, the type and the number
// ("ObjectClass(0x0099)"). Bit fields print their flags joined by "+".
// Some types also have a Name method: the short lower-case text of a known
// value ("numerics", "admitted") or "" for others.

// SPDU is the session protocol data unit identifier that opens an
// association control message.
type SPDU uint8

// Session SPDU identifiers of association control.
const (
	SPDUConnect    SPDU = 0x0D // CN
	SPDUAccept     SPDU = 0x0E // AC
	SPDURefuse     SPDU = 0x0C // RF
	SPDUFinish     SPDU = 0x09 // FN
	SPDUDisconnect SPDU = 0x0A // DN
	SPDUAbort      SPDU = 0x19 // AB
)

var spduNames = []codeName{
	{uint32(SPDUConnect), "CN"}, {uint32(SPDUAccept), "AC"}, {uint32(SPDURefuse), "RF"},
	{uint32(SPDUFinish), "FN"}, {uint32(SPDUDisconnect), "DN"}, {uint32(SPDUAbort), "AB"},
}

func (s SPDU) String() string { return codeString(uint32(s), spduNames, "SPDU", 2) }

// ROType is the type of a remote operation APDU (ROapdus.ro_type).
type ROType uint16

// Remote operation APDU types.
const (
	ROInvoke       ROType = 1 // ROIV
	ROResult       ROType = 2 // RORS
	ROError        ROType = 3 // ROER
	ROLinkedResult ROType = 5 // ROLRS
)

var roNames = []codeName{
	{uint32(ROInvoke), "ROIV"}, {uint32(ROResult), "RORS"}, {uint32(ROError), "ROER"}, {uint32(ROLinkedResult), "ROLRS"},
}

func (t ROType) String() string { return codeString(uint32(t), roNames, "ROType", 0) }

// Command is the command type of a remote operation (CMDType).
type Command uint16

// Command types.
const (
	CmdEventReport          Command = 0 // CMD_EVENT_REPORT
	CmdConfirmedEventReport Command = 1 // CMD_CONFIRMED_EVENT_REPORT
	CmdGet                  Command = 3 // CMD_GET
	CmdSet                  Command = 4 // CMD_SET
	CmdConfirmedSet         Command = 5 // CMD_CONFIRMED_SET
	CmdConfirmedAction      Command = 7 // CMD_CONFIRMED_ACTION
)

var commandNames = []codeName{
	{uint32(CmdEventReport), "CMD_EVENT_REPORT"}, {uint32(CmdConfirmedEventReport), "CMD_CONFIRMED_EVENT_REPORT"},
	{uint32(CmdGet), "CMD_GET"}, {uint32(CmdSet), "CMD_SET"}, {uint32(CmdConfirmedSet), "CMD_CONFIRMED_SET"},
	{uint32(CmdConfirmedAction), "CMD_CONFIRMED_ACTION"},
}

func (c Command) String() string { return codeString(uint32(c), commandNames, "Command", 0) }

// LinkedState says which part of a linked result (ROLRS) a message is.
type LinkedState uint8

// Linked result states (RorlsId.state).
const (
	LinkedFirst LinkedState = 1 // RORLS_FIRST
	LinkedMore  LinkedState = 2 // RORLS_NOT_FIRST_NOT_LAST
	LinkedLast  LinkedState = 3 // RORLS_LAST
)

var linkedNames = []codeName{
	{uint32(LinkedFirst), "RORLS_FIRST"}, {uint32(LinkedMore), "RORLS_NOT_FIRST_NOT_LAST"}, {uint32(LinkedLast), "RORLS_LAST"},
}

func (s LinkedState) String() string { return codeString(uint32(s), linkedNames, "LinkedState", 0) }

// ErrorValue is the error_value of a remote operation error (ROER).
type ErrorValue uint16

// Remote operation error values.
const (
	ROErrNoSuchObjectClass     ErrorValue = 0  // NO_SUCH_OBJECT_CLASS
	ROErrNoSuchObjectInstance  ErrorValue = 1  // NO_SUCH_OBJECT_INSTANCE
	ROErrAccessDenied          ErrorValue = 2  // ACCESS_DENIED
	ROErrGetList               ErrorValue = 7  // GET_LIST_ERROR
	ROErrSetList               ErrorValue = 8  // SET_LIST_ERROR
	ROErrNoSuchAction          ErrorValue = 9  // NO_SUCH_ACTION
	ROErrProcessingFailure     ErrorValue = 10 // PROCESSING_FAILURE
	ROErrInvalidArgumentValue  ErrorValue = 15 // INVALID_ARGUMENT_VALUE
	ROErrInvalidScope          ErrorValue = 16 // INVALID_SCOPE
	ROErrInvalidObjectInstance ErrorValue = 17 // INVALID_OBJECT_INSTANCE
)

var errorValueNames = []codeName{
	{uint32(ROErrNoSuchObjectClass), "NO_SUCH_OBJECT_CLASS"}, {uint32(ROErrNoSuchObjectInstance), "NO_SUCH_OBJECT_INSTANCE"},
	{uint32(ROErrAccessDenied), "ACCESS_DENIED"}, {uint32(ROErrGetList), "GET_LIST_ERROR"},
	{uint32(ROErrSetList), "SET_LIST_ERROR"}, {uint32(ROErrNoSuchAction), "NO_SUCH_ACTION"},
	{uint32(ROErrProcessingFailure), "PROCESSING_FAILURE"}, {uint32(ROErrInvalidArgumentValue), "INVALID_ARGUMENT_VALUE"},
	{uint32(ROErrInvalidScope), "INVALID_SCOPE"}, {uint32(ROErrInvalidObjectInstance), "INVALID_OBJECT_INSTANCE"},
}

func (v ErrorValue) String() string { return codeString(uint32(v), errorValueNames, "ErrorValue", 0) }

// EventType is the event type of an event report (NOM_NOTI_...).
type EventType uint16

// Event types used by data export.
const (
	NotiMDSCreate         EventType = 0x0D06 // NOM_NOTI_MDS_CREAT
	NotiConnectIndication EventType = 0x0D17 // NOM_NOTI_CONN_INDIC
)

var eventNames = []codeName{
	{uint32(NotiMDSCreate), "NOM_NOTI_MDS_CREAT"}, {uint32(NotiConnectIndication), "NOM_NOTI_CONN_INDIC"},
}

func (t EventType) String() string { return codeString(uint32(t), eventNames, "EventType", 4) }

// ActionType is the action type of a confirmed action (NOM_ACT_...).
type ActionType uint16

// Action types used by data export.
const (
	ActPollMDIBData    ActionType = 0x0C16 // NOM_ACT_POLL_MDIB_DATA
	ActPollMDIBDataExt ActionType = 0xF13B // NOM_ACT_POLL_MDIB_DATA_EXT
)

var actionNames = []codeName{
	{uint32(ActPollMDIBData), "NOM_ACT_POLL_MDIB_DATA"}, {uint32(ActPollMDIBDataExt), "NOM_ACT_POLL_MDIB_DATA_EXT"},
}

func (t ActionType) String() string { return codeString(uint32(t), actionNames, "ActionType", 4) }

// ObjectClass is a managed object class (NOM_MOC_...): the class of the
// object a command addresses, of the objects a poll asks for, and of the
// object an alarm belongs to.
type ObjectClass uint16

// Managed object classes.
const (
	MOCNumeric      ObjectClass = 6    // NOM_MOC_VMO_METRIC_NU
	MOCWave         ObjectClass = 9    // NOM_MOC_VMO_METRIC_SA_RT
	MOCMDS          ObjectClass = 0x21 // NOM_MOC_VMS_MDS
	MOCMDSSingleBed ObjectClass = 0x23 // NOM_MOC_MDS_COMPOS_SINGLE_BED, the object of a connect indication
	MOCDemog        ObjectClass = 0x2A // NOM_MOC_PT_DEMOG
	MOCAlarm        ObjectClass = 0x36 // NOM_MOC_VMO_AL_MON
)

var objectNames = []codeName{
	{uint32(MOCNumeric), "NOM_MOC_VMO_METRIC_NU"}, {uint32(MOCWave), "NOM_MOC_VMO_METRIC_SA_RT"},
	{uint32(MOCMDS), "NOM_MOC_VMS_MDS"}, {uint32(MOCMDSSingleBed), "NOM_MOC_MDS_COMPOS_SINGLE_BED"},
	{uint32(MOCDemog), "NOM_MOC_PT_DEMOG"}, {uint32(MOCAlarm), "NOM_MOC_VMO_AL_MON"},
}

func (c ObjectClass) String() string { return codeString(uint32(c), objectNames, "ObjectClass", 4) }

// Name returns what a poll of objects of class c yields: "numerics",
// "waves", "alarms", "patient" (demographics) or "mds"; "" for other
// classes.
func (c ObjectClass) Name() string {
	s, _ := lookupName(uint32(c), objectShortNames)
	return s
}

var objectShortNames = []codeName{
	{uint32(MOCNumeric), "numerics"}, {uint32(MOCWave), "waves"}, {uint32(MOCAlarm), "alarms"},
	{uint32(MOCDemog), "patient"}, {uint32(MOCMDS), "mds"},
}

// AttrID is an attribute identifier (NOM_ATTR_...).
type AttrID uint16

// Attribute identifiers this package interprets.
const (
	AttrAlarmListPhys   AttrID = 0x0902 // NOM_ATTR_AL_MON_P_AL_LIST
	AttrAlarmListTech   AttrID = 0x0904 // NOM_ATTR_AL_MON_T_AL_LIST
	AttrAlertCondition  AttrID = 0x0916 // NOM_ATTR_DEV_AL_COND
	AttrBedLabel        AttrID = 0x091E // NOM_ATTR_ID_BED_LABEL
	AttrHandle          AttrID = 0x0921 // NOM_ATTR_ID_HANDLE
	AttrLabel           AttrID = 0x0924 // NOM_ATTR_ID_LABEL
	AttrLabelString     AttrID = 0x0927 // NOM_ATTR_ID_LABEL_STRING
	AttrModel           AttrID = 0x0928 // NOM_ATTR_ID_MODEL
	AttrProductionSpec  AttrID = 0x092D // NOM_ATTR_ID_PROD_SPECN
	AttrNumericCompound AttrID = 0x094B // NOM_ATTR_NU_CMPD_VAL_OBS
	AttrNumeric         AttrID = 0x0950 // NOM_ATTR_NU_VAL_OBS
	AttrWaveCompound    AttrID = 0x0967 // NOM_ATTR_SA_CMPD_VAL_OBS
	AttrWave            AttrID = 0x096E // NOM_ATTR_SA_VAL_OBS
	AttrSystemID        AttrID = 0x0984 // NOM_ATTR_SYS_ID
	AttrSystemType      AttrID = 0x0986 // NOM_ATTR_SYS_TYPE
	AttrNetAddr         AttrID = 0xF100 // NOM_ATTR_NET_ADDR_INFO

	// Sample arrays (real time waves).
	AttrSampleSpec    AttrID = 0x096D // NOM_ATTR_SA_SPECN
	AttrScaleRange    AttrID = 0x096F // NOM_ATTR_SCALE_SPECN_I16
	AttrPhysRange     AttrID = 0x096A // NOM_ATTR_SA_RANGE_PHYS_I16
	AttrSamplePeriod  AttrID = 0x098D // NOM_ATTR_TIME_PD_SAMP
	AttrUnitCode      AttrID = 0x0996 // NOM_ATTR_UNIT_CODE
	AttrCalibration16 AttrID = 0x0964 // NOM_ATTR_SA_CALIB_I16

	// Patient demographics (NOM_MOC_PT_DEMOG objects).
	AttrPatientState  AttrID = 0x0957 // NOM_ATTR_PT_DEMOG_ST
	AttrPatientDOB    AttrID = 0x0958 // NOM_ATTR_PT_DOB
	AttrPatientID     AttrID = 0x095A // NOM_ATTR_PT_ID
	AttrPatientFamily AttrID = 0x095C // NOM_ATTR_PT_NAME_FAMILY
	AttrPatientGiven  AttrID = 0x095D // NOM_ATTR_PT_NAME_GIVEN
	AttrPatientSex    AttrID = 0x0961 // NOM_ATTR_PT_SEX
	AttrPatientType   AttrID = 0x0962 // NOM_ATTR_PT_TYPE

	// The application profiles of association user information.
	ProfilePollSupport AttrID = 0x0001 // NOM_POLL_PROFILE_SUPPORT, an attribute of supported_aprofiles
	AttrPollProfileExt AttrID = 0xF001 // NOM_ATTR_POLL_PROFILE_EXT, an optional package of it
)

var attrNames = []codeName{
	{uint32(AttrAlarmListPhys), "NOM_ATTR_AL_MON_P_AL_LIST"}, {uint32(AttrAlarmListTech), "NOM_ATTR_AL_MON_T_AL_LIST"},
	{uint32(AttrAlertCondition), "NOM_ATTR_DEV_AL_COND"}, {uint32(AttrBedLabel), "NOM_ATTR_ID_BED_LABEL"},
	{uint32(AttrHandle), "NOM_ATTR_ID_HANDLE"}, {uint32(AttrLabel), "NOM_ATTR_ID_LABEL"},
	{uint32(AttrLabelString), "NOM_ATTR_ID_LABEL_STRING"}, {uint32(AttrModel), "NOM_ATTR_ID_MODEL"},
	{uint32(AttrProductionSpec), "NOM_ATTR_ID_PROD_SPECN"}, {uint32(AttrNumericCompound), "NOM_ATTR_NU_CMPD_VAL_OBS"},
	{uint32(AttrNumeric), "NOM_ATTR_NU_VAL_OBS"}, {uint32(AttrWaveCompound), "NOM_ATTR_SA_CMPD_VAL_OBS"},
	{uint32(AttrWave), "NOM_ATTR_SA_VAL_OBS"}, {uint32(AttrSystemID), "NOM_ATTR_SYS_ID"},
	{uint32(AttrSystemType), "NOM_ATTR_SYS_TYPE"}, {uint32(AttrNetAddr), "NOM_ATTR_NET_ADDR_INFO"},
	{uint32(AttrSampleSpec), "NOM_ATTR_SA_SPECN"}, {uint32(AttrScaleRange), "NOM_ATTR_SCALE_SPECN_I16"},
	{uint32(AttrPhysRange), "NOM_ATTR_SA_RANGE_PHYS_I16"}, {uint32(AttrSamplePeriod), "NOM_ATTR_TIME_PD_SAMP"},
	{uint32(AttrUnitCode), "NOM_ATTR_UNIT_CODE"}, {uint32(AttrCalibration16), "NOM_ATTR_SA_CALIB_I16"},
	{uint32(AttrPatientState), "NOM_ATTR_PT_DEMOG_ST"}, {uint32(AttrPatientDOB), "NOM_ATTR_PT_DOB"},
	{uint32(AttrPatientID), "NOM_ATTR_PT_ID"}, {uint32(AttrPatientFamily), "NOM_ATTR_PT_NAME_FAMILY"},
	{uint32(AttrPatientGiven), "NOM_ATTR_PT_NAME_GIVEN"}, {uint32(AttrPatientSex), "NOM_ATTR_PT_SEX"},
	{uint32(AttrPatientType), "NOM_ATTR_PT_TYPE"},
	{uint32(ProfilePollSupport), "NOM_POLL_PROFILE_SUPPORT"}, {uint32(AttrPollProfileExt), "NOM_ATTR_POLL_PROFILE_EXT"},
}

func (id AttrID) String() string { return codeString(uint32(id), attrNames, "AttrID", 4) }

// ProdSpecType is the type of a production specification entry
// (ProdSpecEntry.spec_type of NOM_ATTR_ID_PROD_SPECN).
type ProdSpecType uint16

// Production specification entry types.
const (
	SpecSerialNumber     ProdSpecType = 1 // SERIAL_NUMBER
	SpecPartNumber       ProdSpecType = 2 // PART_NUMBER
	SpecHWRevision       ProdSpecType = 3 // HW_REVISION
	SpecSWRevision       ProdSpecType = 4 // SW_REVISION
	SpecFWRevision       ProdSpecType = 5 // FW_REVISION
	SpecProtocolRevision ProdSpecType = 6 // PROTOCOL_REVISION
)

var specNames = []codeName{
	{uint32(SpecSerialNumber), "SERIAL_NUMBER"}, {uint32(SpecPartNumber), "PART_NUMBER"},
	{uint32(SpecHWRevision), "HW_REVISION"}, {uint32(SpecSWRevision), "SW_REVISION"},
	{uint32(SpecFWRevision), "FW_REVISION"}, {uint32(SpecProtocolRevision), "PROTOCOL_REVISION"},
}

func (t ProdSpecType) String() string { return codeString(uint32(t), specNames, "ProdSpecType", 0) }

// AlertType is the type (priority and kind) of an alarm (AlertType):
// physiological or technical, low, medium or high priority.
type AlertType uint16

// Alert types.
const (
	AlertNone       AlertType = 0    // NO_ALERT
	AlertLowTech    AlertType = 1    // LOW_PRI_T_AL
	AlertMedTech    AlertType = 2    // MED_PRI_T_AL
	AlertHighTech   AlertType = 4    // HI_PRI_T_AL
	AlertLowPhysio  AlertType = 256  // LOW_PRI_P_AL
	AlertMedPhysio  AlertType = 512  // MED_PRI_P_AL
	AlertHighPhysio AlertType = 1024 // HI_PRI_P_AL
)

var alertTypeNames = []codeName{
	{uint32(AlertNone), "NO_ALERT"}, {uint32(AlertLowTech), "LOW_PRI_T_AL"}, {uint32(AlertMedTech), "MED_PRI_T_AL"},
	{uint32(AlertHighTech), "HI_PRI_T_AL"}, {uint32(AlertLowPhysio), "LOW_PRI_P_AL"},
	{uint32(AlertMedPhysio), "MED_PRI_P_AL"}, {uint32(AlertHighPhysio), "HI_PRI_P_AL"},
}

func (t AlertType) String() string { return codeString(uint32(t), alertTypeNames, "AlertType", 4) }

// High reports whether t is a high priority alarm, physiological or
// technical.
func (t AlertType) High() bool { return t == AlertHighPhysio || t == AlertHighTech }

// AlertState is the state bits of an alarm or of the alert monitor
// (AlertState).
type AlertState uint16

// Alert state bits.
const (
	AlertInhibited     AlertState = 0x8000 // AL_INHIBITED
	AlertSuspended     AlertState = 0x4000 // AL_SUSPENDED
	AlertLatched       AlertState = 0x2000 // AL_LATCHED
	AlertSilencedReset AlertState = 0x1000 // AL_SILENCED_RESET
	AlertDevTestMode   AlertState = 0x0400 // AL_DEV_IN_TEST_MODE
	AlertDevStandby    AlertState = 0x0200 // AL_DEV_IN_STANDBY
	AlertDevDemoMode   AlertState = 0x0100 // AL_DEV_IN_DEMO_MODE
	AlertNew           AlertState = 0x0008 // AL_NEW_ALERT
)

var alertStateNames = []codeName{
	{uint32(AlertInhibited), "AL_INHIBITED"}, {uint32(AlertSuspended), "AL_SUSPENDED"},
	{uint32(AlertLatched), "AL_LATCHED"}, {uint32(AlertSilencedReset), "AL_SILENCED_RESET"},
	{uint32(AlertDevTestMode), "AL_DEV_IN_TEST_MODE"}, {uint32(AlertDevStandby), "AL_DEV_IN_STANDBY"},
	{uint32(AlertDevDemoMode), "AL_DEV_IN_DEMO_MODE"}, {uint32(AlertNew), "AL_NEW_ALERT"},
}

func (s AlertState) String() string { return flagString(uint32(s), alertStateNames) }

// AlarmInfoID identifies the additional information of an alarm list entry
// (alert_info_id).
type AlarmInfoID uint16

// Alarm information identifiers.
const (
	AlarmInfoGeneral AlarmInfoID = 0x0201 // GEN_ALMON_INFO: AlMonGenInfo
	AlarmInfoString  AlarmInfoID = 0x0204 // STR_ALMON_INFO: AlMonGenInfo and a string
)

var alarmInfoNames = []codeName{{uint32(AlarmInfoGeneral), "GEN_ALMON_INFO"}, {uint32(AlarmInfoString), "STR_ALMON_INFO"}}

func (id AlarmInfoID) String() string {
	return codeString(uint32(id), alarmInfoNames, "AlarmInfoID", 4)
}

// MsmtState is the measurement state bits of a numeric or sample array
// (MeasurementState); 0 is a valid measurement.
type MsmtState uint16

// Measurement state bits.
const (
	MsmtInvalid         MsmtState = 0x8000 // INVALID
	MsmtQuestionable    MsmtState = 0x4000 // QUESTIONABLE
	MsmtUnavailable     MsmtState = 0x2000 // UNAVAILABLE
	MsmtCalibrating     MsmtState = 0x1000 // CALIBRATION_ONGOING
	MsmtTestData        MsmtState = 0x0800 // TEST_DATA
	MsmtDemoData        MsmtState = 0x0400 // DEMO_DATA
	MsmtValidated       MsmtState = 0x0080 // VALIDATED_DATA
	MsmtEarlyIndication MsmtState = 0x0040 // EARLY_INDICATION
	MsmtOngoing         MsmtState = 0x0020 // MSMT_ONGOING
	MsmtInAlarm         MsmtState = 0x0002 // MSMT_STATE_IN_ALARM
	MsmtAlarmInhibited  MsmtState = 0x0001 // MSMT_STATE_AL_INHIBITED
)

var msmtNames = []codeName{
	{uint32(MsmtInvalid), "INVALID"}, {uint32(MsmtQuestionable), "QUESTIONABLE"},
	{uint32(MsmtUnavailable), "UNAVAILABLE"}, {uint32(MsmtCalibrating), "CALIBRATION_ONGOING"},
	{uint32(MsmtTestData), "TEST_DATA"}, {uint32(MsmtDemoData), "DEMO_DATA"},
	{uint32(MsmtValidated), "VALIDATED_DATA"}, {uint32(MsmtEarlyIndication), "EARLY_INDICATION"},
	{uint32(MsmtOngoing), "MSMT_ONGOING"}, {uint32(MsmtInAlarm), "MSMT_STATE_IN_ALARM"},
	{uint32(MsmtAlarmInhibited), "MSMT_STATE_AL_INHIBITED"},
}

func (s MsmtState) String() string { return flagString(uint32(s), msmtNames) }

// ModifyOperator is the operator of a SET modification entry
// (ModifyOperator).
type ModifyOperator uint16

// Modify operators.
const (
	ModReplace      ModifyOperator = 0 // REPLACE
	ModAddValues    ModifyOperator = 1 // ADD_VALUES
	ModRemoveValues ModifyOperator = 2 // REMOVE_VALUES
	ModSetDefault   ModifyOperator = 3 // SET_TO_DEFAULT
)

var modNames = []codeName{
	{uint32(ModReplace), "REPLACE"}, {uint32(ModAddValues), "ADD_VALUES"},
	{uint32(ModRemoveValues), "REMOVE_VALUES"}, {uint32(ModSetDefault), "SET_TO_DEFAULT"},
}

func (op ModifyOperator) String() string {
	return codeString(uint32(op), modNames, "ModifyOperator", 0)
}

// Sex is the value of NOM_ATTR_PT_SEX (PatientSex).
type Sex uint16

// Patient sex values.
const (
	SexUnknown     Sex = 0 // SEX_UNKNOWN
	SexMale        Sex = 1 // MALE
	SexFemale      Sex = 2 // FEMALE
	SexUnspecified Sex = 9 // SEX_UNSPECIFIED
)

var sexNames = []codeName{
	{uint32(SexUnknown), "SEX_UNKNOWN"}, {uint32(SexMale), "MALE"}, {uint32(SexFemale), "FEMALE"},
	{uint32(SexUnspecified), "SEX_UNSPECIFIED"},
}

func (s Sex) String() string { return codeString(uint32(s), sexNames, "Sex", 0) }

// PatientType is the value of NOM_ATTR_PT_TYPE (PatientType).
type PatientType uint16

// Patient types.
const (
	PatientTypeUnspecified PatientType = 0 // PAT_TYPE_UNSPECIFIED
	PatientAdult           PatientType = 1 // ADULT
	PatientPediatric       PatientType = 2 // PEDIATRIC
	PatientNeonatal        PatientType = 3 // NEONATAL
)

var patientTypeNames = []codeName{
	{uint32(PatientTypeUnspecified), "PAT_TYPE_UNSPECIFIED"}, {uint32(PatientAdult), "ADULT"},
	{uint32(PatientPediatric), "PEDIATRIC"}, {uint32(PatientNeonatal), "NEONATAL"},
}

func (t PatientType) String() string {
	return codeString(uint32(t), patientTypeNames, "PatientType", 0)
}

// PatientState is the admission state of the monitor's patient
// (NOM_ATTR_PT_DEMOG_ST, PatDmgState). It does not identify the patient.
type PatientState uint16

// Patient demographics states.
const (
	PatientEmpty       PatientState = 0 // EMPTY
	PatientPreAdmitted PatientState = 1 // PRE_ADMITTED
	PatientAdmitted    PatientState = 2 // ADMITTED
	PatientDischarged  PatientState = 8 // DISCHARGED
)

var patientStateNames = []codeName{
	{uint32(PatientEmpty), "EMPTY"}, {uint32(PatientPreAdmitted), "PRE_ADMITTED"},
	{uint32(PatientAdmitted), "ADMITTED"}, {uint32(PatientDischarged), "DISCHARGED"},
}

func (s PatientState) String() string {
	return codeString(uint32(s), patientStateNames, "PatientState", 0)
}

// Name returns "empty", "pre-admitted", "admitted" or "discharged", or ""
// for another value.
func (s PatientState) Name() string {
	name, _ := lookupName(uint32(s), patientStateShortNames)
	return name
}

var patientStateShortNames = []codeName{
	{uint32(PatientEmpty), "empty"}, {uint32(PatientPreAdmitted), "pre-admitted"},
	{uint32(PatientAdmitted), "admitted"}, {uint32(PatientDischarged), "discharged"},
}

// ProtocolVersion is the protocol_version bits of the MDSE user
// information.
type ProtocolVersion uint32

// ProtocolMDDLVersion1 is MDDL_VERSION1, the version data export speaks.
const ProtocolMDDLVersion1 ProtocolVersion = 0x80000000

func (v ProtocolVersion) String() string {
	return flagString(uint32(v), []codeName{{uint32(ProtocolMDDLVersion1), "MDDL_VERSION1"}})
}

// NomenclatureVersion is the nomenclature_version bits of the MDSE user
// information.
type NomenclatureVersion uint32

// NomenclatureVersion1 is NOMEN_VERSION.
const NomenclatureVersion1 NomenclatureVersion = 0x40000000

func (v NomenclatureVersion) String() string {
	return flagString(uint32(v), []codeName{{uint32(NomenclatureVersion1), "NOMEN_VERSION"}})
}

// SystemType says whether the sender of the MDSE user information is the
// client or the monitor (system_type).
type SystemType uint32

// System types.
const (
	SystemClient SystemType = 0x80000000 // SYST_CLIENT
	SystemServer SystemType = 0x00800000 // SYST_SERVER, the monitor
)

var systemNames = []codeName{{uint32(SystemClient), "SYST_CLIENT"}, {uint32(SystemServer), "SYST_SERVER"}}

func (t SystemType) String() string { return flagString(uint32(t), systemNames) }

// Name returns "client" or "server" for exactly [SystemClient] or
// [SystemServer], or "".
func (t SystemType) Name() string {
	s, _ := lookupName(uint32(t), systemShortNames)
	return s
}

var systemShortNames = []codeName{{uint32(SystemClient), "client"}, {uint32(SystemServer), "server"}}

// StartupMode is the startup_mode bits of the MDSE user information.
type StartupMode uint32

// Startup modes.
const (
	StartupHot  StartupMode = 0x80000000 // HOT_START
	StartupWarm StartupMode = 0x40000000 // WARM_START
	StartupCold StartupMode = 0x20000000 // COLD_START
)

var startupNames = []codeName{{uint32(StartupHot), "HOT_START"}, {uint32(StartupWarm), "WARM_START"}, {uint32(StartupCold), "COLD_START"}}

func (m StartupMode) String() string { return flagString(uint32(m), startupNames) }

// Name returns "hot", "warm" or "cold" for exactly one of the three modes,
// or "".
func (m StartupMode) Name() string {
	s, _ := lookupName(uint32(m), startupShortNames)
	return s
}

var startupShortNames = []codeName{
	{uint32(StartupHot), "hot"}, {uint32(StartupWarm), "warm"}, {uint32(StartupCold), "cold"},
}

// PollOptions is the options bits of a poll profile (PollProfileOptions).
type PollOptions uint32

// Poll profile options.
const (
	PollOptDynCreate PollOptions = 0x40000000 // P_OPT_DYN_CREATE_OBJECTS
	PollOptDynDelete PollOptions = 0x20000000 // P_OPT_DYN_DELETE_OBJECTS
)

var pollOptNames = []codeName{{uint32(PollOptDynCreate), "P_OPT_DYN_CREATE_OBJECTS"}, {uint32(PollOptDynDelete), "P_OPT_DYN_DELETE_OBJECTS"}}

func (o PollOptions) String() string { return flagString(uint32(o), pollOptNames) }

// PollExtOptions is the options bits of the extended poll profile
// (PollProfileExtOptions of NOM_ATTR_POLL_PROFILE_EXT).
type PollExtOptions uint32

// Extended poll profile options.
const (
	PollExtNu1s       PollExtOptions = 0x80000000 // POLL_EXT_PERIOD_NU_1SEC
	PollExtNuAvg12s   PollExtOptions = 0x40000000 // POLL_EXT_PERIOD_NU_AVG_12SEC
	PollExtNuAvg60s   PollExtOptions = 0x20000000 // POLL_EXT_PERIOD_NU_AVG_60SEC
	PollExtNuAvg300s  PollExtOptions = 0x10000000 // POLL_EXT_PERIOD_NU_AVG_300SEC
	PollExtRTSA       PollExtOptions = 0x08000000 // POLL_EXT_PERIOD_RTSA
	PollExtEnum       PollExtOptions = 0x04000000 // POLL_EXT_ENUM
	PollExtNuPrioList PollExtOptions = 0x02000000 // POLL_EXT_NU_PRIO_LIST
	PollExtDynModal   PollExtOptions = 0x01000000 // POLL_EXT_DYN_MODALITIES
)

var pollExtNames = []codeName{
	{uint32(PollExtNu1s), "POLL_EXT_PERIOD_NU_1SEC"}, {uint32(PollExtNuAvg12s), "POLL_EXT_PERIOD_NU_AVG_12SEC"},
	{uint32(PollExtNuAvg60s), "POLL_EXT_PERIOD_NU_AVG_60SEC"}, {uint32(PollExtNuAvg300s), "POLL_EXT_PERIOD_NU_AVG_300SEC"},
	{uint32(PollExtRTSA), "POLL_EXT_PERIOD_RTSA"}, {uint32(PollExtEnum), "POLL_EXT_ENUM"},
	{uint32(PollExtNuPrioList), "POLL_EXT_NU_PRIO_LIST"}, {uint32(PollExtDynModal), "POLL_EXT_DYN_MODALITIES"},
}

func (o PollExtOptions) String() string { return flagString(uint32(o), pollExtNames) }

// codeName is one entry of a name table.
type codeName struct {
	v uint32
	s string
}

func lookupName(v uint32, names []codeName) (string, bool) {
	for _, n := range names {
		if n.v == v {
			return n.s, true
		}
	}
	return "", false
}

// codeString returns the name of v, or typ and v: "typ(0x001f)" with
// digits hex digits, or "typ(31)" when digits is 0.
func codeString(v uint32, names []codeName, typ string, digits int) string {
	if s, ok := lookupName(v, names); ok {
		return s
	}
	b := append(make([]byte, 0, len(typ)+12), typ...)
	b = append(b, '(')
	if digits == 0 {
		b = strconv.AppendUint(b, uint64(v), 10)
	} else {
		b = appendHex(b, v, digits)
	}
	return string(append(b, ')'))
}

// flagString returns the names of the bits set in v joined by "+", with
// the bits it does not know as a hex number ("AL_LATCHED+0x1"); "0x0" when
// no bit is set. Only a single known flag is returned without allocating.
func flagString(v uint32, names []codeName) string {
	if s, ok := lookupName(v, names); ok {
		return s // one flag: no allocation
	}
	var b []byte
	for _, n := range names {
		if v&n.v == n.v && n.v != 0 {
			if len(b) > 0 {
				b = append(b, '+')
			}
			b = append(b, n.s...)
			v &^= n.v
		}
	}
	if len(b) > 0 && v == 0 {
		return string(b)
	}
	if len(b) > 0 {
		b = append(b, '+')
	}
	b = append(b, "0x"...)
	return string(strconv.AppendUint(b, uint64(v), 16))
}

// appendHex appends "0x" and the low digits hex digits of v.
func appendHex(b []byte, v uint32, digits int) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '0', 'x')
	for s := 4 * (digits - 1); s >= 0; s -= 4 {
		b = append(b, hex[v>>uint(s)&15])
	}
	return b
}
