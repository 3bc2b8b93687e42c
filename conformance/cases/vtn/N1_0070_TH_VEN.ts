import { vtnCase } from './scenarios/common.js';
import { registrationNegative } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0070_TH_VEN', delivery: 'pull',
  title: 'VTN Registration - Negative Test Scenarios',
  requirement: 'A cancellation or registration naming a registrationID the VTN never issued, or an unknown venID, is refused with 452; the valid cancellation then succeeds.',
  run: registrationNegative,
});
