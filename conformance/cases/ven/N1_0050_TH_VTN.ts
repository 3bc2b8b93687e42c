import { venCase } from './scenarios/common.js';
import { vtnRequestsReregistration } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0050_TH_VTN', delivery: 'pull',
  title: 'VTN Registration - Request Re-Registration',
  requirement: 'After oadrRequestReregistration the VEN registers again with oadrCreatePartyRegistration.',
  run: vtnRequestsReregistration,
});
