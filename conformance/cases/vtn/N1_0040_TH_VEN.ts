import { vtnCase } from './scenarios/common.js';
import { vtnCancels } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0040_TH_VEN', delivery: 'pull', needs: ['cancelRegistration'],
  title: 'VTN Registration - Cancel Registration',
  requirement: 'A cancellation the VTN starts reaches the VEN as oadrCancelPartyRegistration naming its registration; once the VEN confirms, its payloads are refused with 463.',
  run: vtnCancels,
});
