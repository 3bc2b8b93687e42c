import { vtnCase } from './scenarios/common.js';
import { preallocatedVenId } from './scenarios/registration.js';

export default vtnCase({
  id: 'N0_5025_TH_VEN', delivery: 'push',
  title: 'VEN Registration - Pre-allocated VEN ID',
  requirement: 'A VEN that names its pre-allocated venID in oadrCreatePartyRegistration is registered under that venID.',
  run: preallocatedVenId,
});
