import { venCase } from './scenarios/common.js';
import { preallocated } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0025_TH_VTN', delivery: 'pull', preallocate: true,
  title: 'VEN Registration - Pre-allocated VEN ID',
  requirement: 'A VEN configured with a pre-allocated venID names it in oadrCreatePartyRegistration.',
  run: preallocated,
});
