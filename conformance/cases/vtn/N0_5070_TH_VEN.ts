import { vtnCase } from './scenarios/common.js';
import { registrationNegative } from './scenarios/registration.js';

export default vtnCase({
  id: 'N0_5070_TH_VEN', delivery: 'push',
  title: 'VTN Registration - Negative Test Scenarios',
  requirement: 'A cancellation or registration naming a registrationID the VTN never issued, or an unknown venID, is refused with 452; the valid cancellation then succeeds.',
  run: registrationNegative,
});
