import { vtnCase } from './scenarios/common.js';
import { preallocatedVenId } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0025_TH_VEN', delivery: 'pull',
  title: 'VEN Registration - Pre-allocated VEN ID',
  requirement: 'A VEN that names its pre-allocated venID in oadrCreatePartyRegistration is registered under that venID.',
  run: preallocatedVenId,
});
