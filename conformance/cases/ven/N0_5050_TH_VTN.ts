import { venCase } from './scenarios/common.js';
import { vtnRequestsReregistration } from './scenarios/registration.js';

export default venCase({
  id: 'N0_5050_TH_VTN', delivery: 'push',
  title: 'VTN Registration - Request Re-Registration',
  requirement: 'After oadrRequestReregistration the VEN registers again with oadrCreatePartyRegistration.',
  run: vtnRequestsReregistration,
});
