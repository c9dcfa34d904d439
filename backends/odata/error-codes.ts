/**
 * SAP-style message codes for the emulator's internal error codes. The codes are plausible
 * Gateway message ids chosen by the emulator (unverified); adapters should branch on the HTTP
 * status, not on these strings.
 */
const SAP_CODES: Record<string, string> = {
  NOT_FOUND: '/IWBEP/CM_MGW_RT/020',
  UNKNOWN_SET: '/IWBEP/CM_MGW_RT/021',
  UNKNOWN_PROPERTY: '/IWBEP/CM_MGW_RT/022',
  UNKNOWN_NAVIGATION: '/IWBEP/CM_MGW_RT/022',
  SELECT_NOT_EXPANDED: '/IWBEP/CM_MGW_RT/022',
  FILTER_SYNTAX: '/IWBEP/CM_MGW_RT/004',
  FILTER_IN: '/IWBEP/CM_MGW_RT/004',
  QUERY_OPTION: '/IWBEP/CM_MGW_RT/005',
  BAD_URI: '/IWBEP/CM_MGW_RT/005',
  BAD_KEY: '/IWBEP/CM_MGW_RT/005',
  URI_TOO_LONG: '/IWFND/CM_BEC/026',
  METHOD_NOT_ALLOWED: '/IWBEP/CM_MGW_RT/106',
  BAD_PAYLOAD: '/IWBEP/CM_MGW_RT/003',
  READ_ONLY_PROPERTY: '/IWBEP/CM_MGW_RT/023',
  PRECONDITION_REQUIRED: '/IWBEP/CM_MGW_RT/176',
  PRECONDITION_FAILED: '/IWBEP/CM_MGW_RT/016',
  NOT_IMPLEMENTED: '/IWBEP/CM_MGW_RT/109',
  FAULT: '/IWFND/CM_BEC/002',
};

export function sapCode(code: string): string {
  return SAP_CODES[code] ?? code;
}
