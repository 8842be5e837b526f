import { usePageContext } from 'vike-react/usePageContext'

export default function Page() {
  return <h1>{usePageContext().is404 ? 'Not found' : 'Something went wrong'}</h1>
}
