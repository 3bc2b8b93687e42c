import { venCase } from './scenarios/common.js';
import { caseSensitivity } from './scenarios/events.js';

export default venCase({
  id: 'E1_1080_TH_VTN', delivery: 'pull',
  title: 'VTN/VEN Event - Negative Test, Case Sensitivity',
  requirement: 'IDs are case-sensitive: a distribute whose vtnID differs from the VTN\'s only in case is refused with 452.',
  run: caseSensitivity,
});
