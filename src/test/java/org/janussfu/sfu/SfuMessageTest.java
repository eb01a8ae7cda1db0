package org.janussfu.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Body decoding per sfu-protocol.md §1.2–§1.8, including ports of the Rust plugin's message_parsing tests (§10). */
class SfuMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SfuMessage parse(String json) throws Exception {
        return SfuMessage.parse((ObjectNode) JSON.readTree(json.replace('\'', '"')));
    }

    private static void assertParseError(String json) {
        SfuError e = assertThrows(SfuError.class, () -> parse(json), json);
        assertEquals("data did not match any variant of untagged enum OptionalField", e.getMessage());
        assertEquals(SfuError.PARSE, e.text());
    }

    // ---- ports of src/messages.rs mod tests::message_parsing

    @Test
    void parseEmpty() throws Exception {
        assertNull(parse("{}"));
    }

    @Test
    void parseInnerError() {
        assertParseError("{'kind': 'join'}");
    }

    @Test
    void parseOuterError() {
        assertParseError("{'kind': 'fiddle'}");
    }

    @Test
    void parseJoinUserId() throws Exception {
        assertEquals(new SfuMessage.Join("alpha", "10", null, "foo"),
                parse("{'kind': 'join', 'user_id': '10', 'room_id': 'alpha', 'token': 'foo'}"));
    }

    @Test
    void parseJoinSubscriptions() throws Exception {
        assertEquals(new SfuMessage.Join("5", "10", new Subscription(true, false, null), null),
                parse("{'kind': 'join', 'user_id': '10', 'room_id': '5', 'subscribe': {'notifications': true, 'data': false}}"));
    }

    @Test
    void parseSubscribe() throws Exception {
        assertEquals(new SfuMessage.Subscribe(new Subscription(false, true, "steve"), null),
                parse("{'kind': 'subscribe', 'what': {'notifications': false, 'data': true, 'media': 'steve'}}"));
    }

    @Test
    void parseRestart() throws Exception {
        assertEquals(new SfuMessage.Restart(), parse("{'kind': 'restart', 'ignored': 1}"));
    }

    // ---- every kind

    @Test
    void joinAsNafPublisherWithNullToken() throws Exception {
        assertEquals(new SfuMessage.Join("R", "U", new Subscription(true, true, null), null),
                parse("{'kind':'join','room_id':'R','user_id':'U','subscribe':{'notifications':true,'data':true},'token':null}"));
    }

    @Test
    void joinAsNafSubscriber() throws Exception {
        assertEquals(new SfuMessage.Join("R", "U", new Subscription(false, false, "V"), "t"),
                parse("{'kind':'join','room_id':'R','user_id':'U','subscribe':{'media':'V'},'token':'t'}"));
    }

    @Test
    void joinWithNullSubscribeAndMediaNullAndExtraKeys() throws Exception {
        assertEquals(new SfuMessage.Join("R", "U", null, null),
                parse("{'kind':'join','room_id':'R','user_id':'U','subscribe':null,'extra':[1,2]}"));
        assertEquals(new SfuMessage.Join("R", "U", new Subscription(false, false, null), null),
                parse("{'kind':'join','room_id':'R','user_id':'U','subscribe':{'media':null,'bogus':7}}"));
    }

    @Test
    void block() throws Exception {
        assertEquals(new SfuMessage.Block("x"), parse("{'kind':'block','whom':'x'}"));
    }

    @Test
    void unblock() throws Exception {
        assertEquals(new SfuMessage.Unblock("x"), parse("{'kind':'unblock','whom':'x'}"));
    }

    @Test
    void dataWithAndWithoutWhom() throws Exception {
        assertEquals(new SfuMessage.Data("x", "{\"a\":1}"), SfuMessage.parse(
                (ObjectNode) JSON.readTree("{\"kind\":\"data\",\"whom\":\"x\",\"body\":\"{\\\"a\\\":1}\"}")));
        assertEquals(new SfuMessage.Data(null, "b"), parse("{'kind':'data','body':'b'}"));
        assertEquals(new SfuMessage.Data(null, "b"), parse("{'kind':'data','whom':null,'body':'b'}"));
    }

    @Test
    void kick() throws Exception {
        assertEquals(new SfuMessage.Kick("R", "U", "t"),
                parse("{'kind':'kick','room_id':'R','user_id':'U','token':'t'}"));
    }

    @Test
    void subscriptionFlagsDefaultToFalse() throws Exception {
        assertEquals(new SfuMessage.Subscribe(new Subscription(false, false, null), null),
                parse("{'kind':'subscribe','what':{}}"));
    }

    // ---- wrong shapes

    @ParameterizedTest
    @ValueSource(strings = {
        "{'foo':1}",
        "{'kind':null}",
        "{'kind':1}",
        "{'kind':'Join','room_id':'R','user_id':'U'}",
        "{'kind':'JOIN','room_id':'R','user_id':'U'}",
        "{'room_id':'R','user_id':'U'}",
        // join
        "{'kind':'join','room_id':1,'user_id':'U'}",
        "{'kind':'join','room_id':'R','user_id':10}",
        "{'kind':'join','room_id':'R'}",
        "{'kind':'join','user_id':'U'}",
        "{'kind':'join','room_id':null,'user_id':'U'}",
        "{'kind':'join','room_id':'R','user_id':'U','token':5}",
        "{'kind':'join','room_id':'R','user_id':'U','token':true}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':true}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':'x'}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':[]}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':{'data':'true'}}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':{'data':1}}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':{'notifications':null}}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':{'media':42}}",
        "{'kind':'join','room_id':'R','user_id':'U','subscribe':{'media':{}}}",
        // subscribe
        "{'kind':'subscribe'}",
        "{'kind':'subscribe','what':null}",
        "{'kind':'subscribe','what':'x'}",
        "{'kind':'subscribe','notifications':true,'data':true}",
        "{'kind':'subscribe','what':{'media':1}}",
        // block / unblock
        "{'kind':'block'}",
        "{'kind':'block','whom':null}",
        "{'kind':'block','whom':7}",
        "{'kind':'unblock'}",
        "{'kind':'unblock','whom':7}",
        // data
        "{'kind':'data'}",
        "{'kind':'data','whom':'x'}",
        "{'kind':'data','body':null}",
        "{'kind':'data','body':{'a':1}}",
        "{'kind':'data','body':3}",
        "{'kind':'data','whom':3,'body':'b'}",
        // kick
        "{'kind':'kick','room_id':'R','user_id':'U'}",
        "{'kind':'kick','room_id':'R','user_id':'U','token':null}",
        "{'kind':'kick','room_id':'R','user_id':'U','token':1}",
        "{'kind':'kick','room_id':1,'user_id':'U','token':'t'}",
        "{'kind':'kick','room_id':'R','user_id':2,'token':'t'}",
    })
    void wrongShapesFailWithTheSerdeText(String json) {
        assertParseError(json);
    }
}
