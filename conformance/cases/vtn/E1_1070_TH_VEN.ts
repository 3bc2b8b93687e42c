import { vtnCase } from './scenarios/common.js';
import { customSignal } from './scenarios/events.js';

export default vtnCase({
  id: 'E1_1070_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
  title: 'VTN Event - Negative Test, Custom Event Signal',
  requirement: 'An event with a custom signal (x-CUSTOM_SIGNAL) reaches the VEN; the VEN\'s eventResponse 460 (signal not supported) is answered with oadrResponse 200.',
  run: customSignal,
});
