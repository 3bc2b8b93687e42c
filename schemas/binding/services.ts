import type { ServiceName } from '../model/enums.js';
import type { OadrMessageType } from '../model/payloads.js';

/**
 * The service a payload travels on when the VTN sends it (push, or a VEN's reply to it): the
 * 2.0b binding's table for VTN-originated payloads. A VEN answers on the service it was asked on.
 */
export const SERVICE_OF_VTN_PAYLOAD: Readonly<Partial<Record<OadrMessageType, ServiceName>>> = {
  oadrDistributeEvent: 'EiEvent',
  oadrRegisterReport: 'EiReport', oadrCreateReport: 'EiReport', oadrCancelReport: 'EiReport', oadrUpdateReport: 'EiReport',
  oadrRequestReregistration: 'EiRegisterParty', oadrCancelPartyRegistration: 'EiRegisterParty',
};
