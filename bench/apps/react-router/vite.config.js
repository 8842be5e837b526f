import { reactRouter } from '@react-router/dev/vite'

export default {
  plugins: [reactRouter()],
  // The pages render Tessera's components from domains/, whose `react` import would otherwise
  // resolve to the repo root's copy: one React for the whole app.
  resolve: { dedupe: ['react', 'react-dom'] },
}
