import { vtnCase } from './scenarios/common.js';
import { payloadWhileUnregistered } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0080_TH_VEN', delivery: 'pull',
  title: 'VEN Registration - Payload While Unregistered',
  requirement: 'oadrPoll and oadrRequestEvent from a VEN that is not registered are refused with 463.',
  run: payloadWhileUnregistered,
});
