import { venCase } from './scenarios/common.js';
import { payloadWhileUnregistered } from './scenarios/registration.js';

export default venCase({
  id: 'N0_5080_TH_VTN', delivery: 'push',
  title: 'VEN Registration - Payload While Unregistered',
  requirement: 'Once its registration is cancelled the VEN does not poll, and a payload pushed to it gets no answer or 463.',
  run: payloadWhileUnregistered,
});
