import react from '@vitejs/plugin-react'
import vike from 'vike/plugin'

export default {
  plugins: [vike(), react()],
  // The pages render Tessera's components from domains/, whose `react` import would otherwise
  // resolve to the repo root's copy: one React for the whole app.
  resolve: { dedupe: ['react', 'react-dom'] },
}
