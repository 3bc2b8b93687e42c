import { venCase } from './scenarios/common.js';
import { customSignal } from './scenarios/events.js';

export default venCase({
  id: 'E1_1070_TH_VTN', delivery: 'pull',
  title: 'VTN Event - Negative Test, Custom Event Signal',
  requirement: 'An event whose only signal the VEN does not support (x-CUSTOM_SIGNAL) is answered with responseCode 460.',
  run: customSignal,
});
